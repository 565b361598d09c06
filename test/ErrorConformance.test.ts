/**
 * Issue 11 item 9: the governor, timelock and token revert with OpenZeppelin's own errors wherever
 * OpenZeppelin has one for the same condition, so wallets, Tally and indexers that decode with
 * OpenZeppelin's ABI name them. The OpenZeppelin side is read from its Solidity sources in
 * node_modules, not restated here.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { ErrorFragment, ZeroAddress, parseEther } from "ethers";
import { minimalProxyCreationCode } from "./helpers/clones.ts";
import {
  openZeppelinErrorInterface,
  openZeppelinErrors,
  revertData,
} from "./helpers/openzeppelin.ts";

const { ethers } = await network.create();
const OZ = openZeppelinErrors();

/**
 * Errors with no OpenZeppelin counterpart, and why. Anything else a contract declares must be
 * OpenZeppelin's, with OpenZeppelin's signature.
 */
const COTERIE_ONLY: Record<string, string> = {
  SocialTokenZeroAdmin:
    "OpenZeppelin's AccessControl does not refuse a zero admin",
  SocialTokenRevenueNotStarted: "revenue snapshots are Coterie's",
  GovernorInvalidVotingDelay:
    "OpenZeppelin's GovernorSettings accepts any voting delay",
};

describe("Error conformance with OpenZeppelin (Issue 11 item 9)", function () {
  for (const contractName of [
    "CommunityGovernor",
    "CommunityTimelock",
    "SocialToken",
  ]) {
    it(`${contractName}: every custom error is OpenZeppelin's, same signature, or listed as Coterie-only`, async function () {
      const { interface: iface } =
        await ethers.getContractFactory(contractName);
      const errors: ErrorFragment[] = [];
      iface.forEachError((fragment) => errors.push(fragment));
      expect(errors.length).to.be.greaterThan(0);
      for (const fragment of errors) {
        const ozSignature = OZ.get(fragment.name);
        if (ozSignature === undefined) {
          expect(
            COTERIE_ONLY,
            `${fragment.name} has no OpenZeppelin counterpart listed`,
          ).to.have.property(fragment.name);
        } else {
          expect(fragment.format("sighash"), fragment.name).to.equal(
            ozSignature,
          );
        }
      }
    });
  }

  it("an allocation above the cap decodes as OpenZeppelin's ERC20ExceededCap", async function () {
    const token = await ethers.deployContract("SocialToken");
    const [signer] = await ethers.getSigners();
    const cloneTx = await signer.sendTransaction({
      data: minimalProxyCreationCode(await token.getAddress()),
    });
    const clone = (await cloneTx.wait())?.contractAddress;
    if (clone === null || clone === undefined)
      throw new Error("no clone deployed");
    const cap = parseEther("1000");
    const data = await revertData(
      ethers.provider.call({
        to: clone,
        data: token.interface.encodeFunctionData("initialize", [
          {
            name: "T",
            symbol: "T",
            cap,
            admin: signer.address,
            minter: ZeroAddress,
            initialHolder: signer.address,
            initialAmount: cap + 1n,
          },
        ]),
      }),
    );
    const decoded =
      openZeppelinErrorInterface("ERC20ExceededCap").parseError(data);
    expect(decoded?.name).to.equal("ERC20ExceededCap");
    expect([...(decoded?.args ?? [])]).to.deep.equal([cap + 1n, cap]);
  });
});
