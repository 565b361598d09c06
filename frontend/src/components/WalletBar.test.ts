import { describe, expect, it } from "vitest";
import { DEV_CONNECTOR_ID } from "../config/devConnector.ts";
import { walletLabel, walletOptions } from "./WalletBar.tsx";

const generic = { id: "injected", type: "injected", name: "Injected" };
const announced = { id: "com.example.testwallet", type: "injected", name: "Test Wallet" };
const other = { id: "io.example.other", type: "injected", name: "Other" };
const dev = { id: DEV_CONNECTOR_ID, type: "coterie-dev", name: "Dev account (local chain)" };

describe("WalletBar", () => {
  describe("walletOptions", () => {
    it("lists every wallet announced through EIP-6963, never the dev connector", () => {
      expect(walletOptions([generic, announced, other, dev], true)).toEqual([announced, other]);
    });

    it("offers the generic injected wallet only when window.ethereum exists and nothing announced itself", () => {
      expect(walletOptions([generic, dev], true)).toEqual([generic]);
      expect(walletOptions([generic, dev], false)).toEqual([]);
    });
  });

  describe("walletLabel", () => {
    it("calls the generic injected wallet a browser wallet and keeps announced names", () => {
      expect(walletLabel(generic)).toBe("Browser wallet");
      expect(walletLabel(announced)).toBe("Test Wallet");
    });
  });
});
