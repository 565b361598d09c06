/**
 * The dev-account connector: on the local chain only, lets a person click through the app as one of
 * the `hardhat node` accounts without a wallet extension. The node holds those accounts' keys
 * ("unlocked"), so transactions and EIP-712 signatures are forwarded to it as they are.
 *
 * It is never offered on any other chain (see wagmi.ts), and the node refuses to sign for any
 * account it does not hold, so it cannot be used against a real network.
 *
 * Test key (local chain only, for the browser tests): when localStorage holds `coterie.devKey` (a
 * private key the test put there, e.g. a brand-new account with 0 ETH), the connector connects that
 * account instead and signs messages and typed data with the key in the page; it sends no
 * transactions (such an account has no ETH: it uses the "… for free" actions). The connector exists
 * only when /coterie.json marks a chain `local`, so a build served for any other chain ignores it.
 */
import { createConnector } from "wagmi";
import { getAddress, numberToHex, type Address, type EIP1193RequestFn, type Hex, type TypedDataDefinition } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import type { ChainConfig } from "./runtime.ts";

export const DEV_CONNECTOR_ID = "coterie-dev";
const STORAGE_KEY = "coterie.devAccount";
/**
 * Set when the person disconnects the dev account, cleared when they connect again: a reload then
 * stays disconnected (wagmi's reconnect asks `isAuthorized`, and the chosen account alone would say
 * yes). The choice of account is kept for the next connect.
 */
export const DISCONNECTED_KEY = "coterie.devDisconnected";

/** localStorage key of the test key (see the file's comment): local chain and tests only. */
export const DEV_KEY = "coterie.devKey";

function storage(): Storage | null {
  return typeof localStorage === "undefined" ? null : localStorage;
}

/** True after the person disconnected the dev account, until they connect it again. */
export function devDisconnected(): boolean {
  return storage()?.getItem(DISCONNECTED_KEY) === "1";
}

/** An EIP-1193 error the way wallets report them, so viem maps codes (4001, 4902...) to its error types. */
class ProviderRpcError extends Error {
  constructor(
    public readonly code: number,
    message: string,
    public readonly data?: unknown,
  ) {
    super(message);
  }
}

let nextId = 1;
async function rpc(url: string, method: string, params: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: params ?? [] }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
  if (body.error) throw new ProviderRpcError(body.error.code, body.error.message, body.error.data);
  return body.result;
}

const accountLists = new Map<string, Promise<Address[]>>();

/**
 * The accounts the local node can sign for (its `eth_accounts`), read once per page load: a node's
 * dev accounts never change, and reconnecting on reload would otherwise ask twice.
 */
export function devAccounts(chain: ChainConfig): Promise<Address[]> {
  let list = accountLists.get(chain.rpcUrl);
  if (!list) {
    list = rpc(chain.rpcUrl, "eth_accounts", []).then((accounts) => (accounts as string[]).map((a) => getAddress(a)));
    list.catch(() => accountLists.delete(chain.rpcUrl));
    accountLists.set(chain.rpcUrl, list);
  }
  return list;
}

/** The dev account the connector uses next (kept across reloads). */
export function selectedDevAccount(): Address | null {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  return stored ? getAddress(stored) : null;
}

export function selectDevAccount(account: Address): void {
  localStorage.setItem(STORAGE_KEY, getAddress(account));
}

/** The test key the page was given, if any (0x + 64 hex digits). */
export function devKey(): Hex | null {
  const stored = storage()?.getItem(DEV_KEY) ?? null;
  return stored !== null && /^0x[0-9a-fA-F]{64}$/.test(stored) ? (stored as Hex) : null;
}

/** The test key's account; viem's key code loads only when a key is set. */
async function keyAccount(): Promise<PrivateKeyAccount | null> {
  const key = devKey();
  if (!key) return null;
  const { privateKeyToAccount } = await import("viem/accounts");
  return privateKeyToAccount(key);
}

const INT_TYPE = /^u?int\d*$/;

/**
 * eth_signTypedData_v4's JSON back into what viem signs: integers (sent as decimal strings or numbers)
 * become bigints, following the types; the EIP712Domain entry is viem's to derive.
 */
export function typedDataFromJson(json: string): TypedDataDefinition {
  const data = JSON.parse(json) as { domain: Record<string, unknown>; types: Record<string, Array<{ name: string; type: string }>>; primaryType: string; message: Record<string, unknown> };
  const types = Object.fromEntries(Object.entries(data.types).filter(([name]) => name !== "EIP712Domain"));
  const convert = (type: string, value: unknown): unknown => {
    if (type.endsWith("]")) return (value as unknown[]).map((v) => convert(type.slice(0, type.lastIndexOf("[")), v));
    if (INT_TYPE.test(type)) return BigInt(value as string | number);
    const struct = types[type];
    if (struct) return Object.fromEntries(struct.map((f) => [f.name, convert(f.type, (value as Record<string, unknown>)[f.name])]));
    return value;
  };
  const domain = { ...data.domain };
  if (domain.chainId !== undefined) domain.chainId = Number(domain.chainId);
  // Checked by viem when it hashes: the wallet's JSON is typed only at run time.
  return { domain, types, primaryType: data.primaryType, message: convert(data.primaryType, data.message) } as unknown as TypedDataDefinition;
}

export function devConnector(chain: ChainConfig) {
  let account: Address | null = null;
  let connected = false;
  let keyed: PrivateKeyAccount | null = null;

  return createConnector<{ request: EIP1193RequestFn }>((config) => {
    const request = (async ({ method, params }: { method: string; params?: unknown }) => {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return account ? [account] : [];
        case "eth_chainId":
          return numberToHex(chain.id);
        case "personal_sign":
          if (keyed) return keyed.signMessage({ message: { raw: (params as [Hex, Address])[0] } });
          return rpc(chain.rpcUrl, method, params);
        case "eth_signTypedData_v4":
          if (keyed) return keyed.signTypedData(typedDataFromJson((params as [Address, string])[1]));
          return rpc(chain.rpcUrl, method, params);
        case "eth_sendTransaction":
          if (keyed) throw new ProviderRpcError(4200, "This test account sends no transactions (it has no ETH for gas); use the free actions.");
          return rpc(chain.rpcUrl, method, params);
        case "wallet_switchEthereumChain": {
          const wanted = Number((params as Array<{ chainId: string }>)[0]?.chainId);
          if (wanted !== chain.id) throw new ProviderRpcError(4902, `The dev accounts only exist on ${chain.name}.`);
          return null;
        }
        default:
          return rpc(chain.rpcUrl, method, params);
      }
    }) as EIP1193RequestFn;
    const provider = { request };

    return {
      id: DEV_CONNECTOR_ID,
      name: "Dev account (local chain)",
      type: "coterie-dev",
      async connect(parameters) {
        keyed = await keyAccount();
        const accounts = keyed ? [keyed.address] : await devAccounts(chain);
        const chosen = selectedDevAccount();
        account = keyed ? keyed.address : chosen && accounts.includes(chosen) ? chosen : accounts[1] ?? accounts[0];
        if (!account) throw new ProviderRpcError(4100, "The local node has no unlocked accounts.");
        connected = true;
        storage()?.removeItem(DISCONNECTED_KEY);
        void parameters;
        const result = { accounts: [account] as readonly Address[], chainId: chain.id };
        // `any`: wagmi types the result by a generic `withCapabilities` flag this connector never
        // honours; plain addresses are what wagmi expects when the flag is unset.
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        return result as any;
      },
      async disconnect() {
        connected = false;
        account = null;
        keyed = null;
        storage()?.setItem(DISCONNECTED_KEY, "1");
      },
      async getAccounts() {
        return account ? [account] : [];
      },
      async getChainId() {
        return chain.id;
      },
      async getProvider() {
        return provider;
      },
      async isAuthorized() {
        // Reconnect on reload when a dev account was chosen before, unless the person disconnected it.
        if (devDisconnected()) return false;
        keyed = await keyAccount();
        if (keyed) {
          account = keyed.address;
          return true;
        }
        if (selectedDevAccount() === null) return false;
        const accounts = await devAccounts(chain).catch(() => []);
        account = accounts.find((a) => a === selectedDevAccount()) ?? null;
        return account !== null;
      },
      async switchChain({ chainId }) {
        const target = config.chains.find((c) => c.id === chainId);
        if (!target || chainId !== chain.id) throw new ProviderRpcError(4902, `The dev accounts only exist on ${chain.name}.`);
        return target;
      },
      /** Switches to another dev account without disconnecting. */
      async useAccount(next: Address) {
        selectDevAccount(next);
        keyed = null;
        account = getAddress(next);
        if (connected) config.emitter.emit("change", { accounts: [account] });
      },
      onAccountsChanged(accounts) {
        if (accounts.length === 0) config.emitter.emit("disconnect");
        else config.emitter.emit("change", { accounts: accounts.map((a) => getAddress(a)) });
      },
      onChainChanged(chainId) {
        config.emitter.emit("change", { chainId: Number(chainId) });
      },
      onDisconnect() {
        config.emitter.emit("disconnect");
      },
    };
  });
}
