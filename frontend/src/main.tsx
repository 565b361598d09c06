import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { WagmiProvider } from "wagmi";
import { App } from "./App.tsx";
import { RuntimeProvider } from "./config/context.tsx";
import { loadRuntimeConfig } from "./config/runtime.ts";
import { makeWagmiConfig } from "./config/wagmi.ts";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 4_000, refetchOnWindowFocus: false } },
});

loadRuntimeConfig()
  .then((runtime) => {
    const wagmiConfig = makeWagmiConfig(runtime);
    root.render(
      <StrictMode>
        <WagmiProvider config={wagmiConfig}>
          <QueryClientProvider client={queryClient}>
            <RuntimeProvider runtime={runtime}>
              <App />
            </RuntimeProvider>
          </QueryClientProvider>
        </WagmiProvider>
      </StrictMode>,
    );
  })
  .catch((error: unknown) => {
    root.render(
      <div className="fatal" role="alert">
        <h1>Coterie cannot start</h1>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </div>,
    );
  });
