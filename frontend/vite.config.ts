import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

const root = fileURLToPath(new URL(".", import.meta.url));

// The app is built once (`npm run frontend:build`) and served by scripts/web-server.ts, which also
// serves the runtime chain configuration (/coterie.json). `vite dev` works too for UI work: it proxies
// /coterie.json to a running `npm start` (COTERIE_WEB_URL, default http://127.0.0.1:5173).
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
  server: {
    host: "127.0.0.1",
    port: 5174,
    strictPort: true,
    fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] },
    proxy: { "/coterie.json": process.env.COTERIE_WEB_URL ?? "http://127.0.0.1:5173" },
  },
  test: {
    root,
    include: ["src/**/*.test.{ts,tsx}", "../shared/**/*.test.ts"],
    environment: "happy-dom",
  },
});
