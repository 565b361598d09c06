import { defineConfig } from "vitest/config";

// The server's tests: each file starts one local chain (hardhat node, platform deployed, demo
// seeded) and its own servers, so files run one at a time. Chains take ports 8600-8649, servers
// 8700-8749 (COTERIE_TEST_CHAIN_PORTS / COTERIE_TEST_SERVER_PORTS).
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 600_000,
    env: {
      COTERIE_TEST_CHAIN_PORTS: process.env.COTERIE_TEST_CHAIN_PORTS ?? "8600-8649",
      COTERIE_TEST_SERVER_PORTS: process.env.COTERIE_TEST_SERVER_PORTS ?? "8700-8749",
    },
  },
});
