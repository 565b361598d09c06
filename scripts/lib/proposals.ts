/**
 * The DAO proposals the creator CLIs print: a community token's `grantRole(role, grantee)`, run by
 * the community's Timelock once the Governor passes it, with a ready `cast send` command line.
 */
import { SocialToken__factory } from "../../typechain-types/index.ts";
import { shellQuote } from "./format.ts";

/** A proposal that grants a role on the community token: one call, run by the Timelock. */
export interface ApprovalProposal {
  governor: string;
  timelock: string;
  /** The call: the community token, no ETH, `grantRole(role, grantee)`. */
  target: string;
  value: bigint;
  calldata: string;
  description: string;
  /** A ready command line that proposes it (Foundry's `cast send`, with the proposer's key from the environment). */
  command: string;
}

/** The proposal granting `role` on `token` to `grantee`, described by `description`, for the community's governor and timelock. */
export function grantRoleProposal(
  community: { governor: string; timelock: string; token: string },
  grant: { role: string; grantee: string; description: string },
  rpcUrl = "$RPC_URL",
): ApprovalProposal {
  const calldata = SocialToken__factory.createInterface().encodeFunctionData("grantRole", [grant.role, grant.grantee]);
  const rpc = rpcUrl.startsWith("$") ? `"${rpcUrl}"` : shellQuote(rpcUrl);
  const command = [
    "cast send",
    community.governor,
    shellQuote("propose(address[],uint256[],bytes[],string)"),
    shellQuote(`[${community.token}]`),
    shellQuote("[0]"),
    shellQuote(`[${calldata}]`),
    shellQuote(grant.description),
    `--rpc-url ${rpc}`,
    `--private-key "$PROPOSER_PRIVATE_KEY"`,
  ].join(" ");
  return { governor: community.governor, timelock: community.timelock, target: community.token, value: 0n, calldata, description: grant.description, command };
}
