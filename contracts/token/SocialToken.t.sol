// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ERC20CappedUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20CappedUpgradeable.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";
import {SocialToken} from "./SocialToken.sol";
import {Vm, Assertions} from "../test/SolidityTestBase.sol";

/**
 * @title SocialToken fuzz tests
 * @notice Properties of the token on its own: the cap binds every mint, transfers conserve supply,
 * voting power always equals the balances delegated to each account (with automatic
 * self-delegation and opt-outs in the mix), and initialisation is one-shot.
 * @dev The token is an EIP-1167 clone initialised with this contract as admin and minter, as the
 * factory does with the Timelock and the reward vault.
 */
contract SocialTokenTest is Assertions {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 private constant CAP = 1_000_000e18;
    uint256 private constant ALLOCATION = 100_000e18;
    address private constant CREATOR = address(0xC0FFEE);
    uint256 private constant HOLDERS = 5;

    SocialToken private implementation;
    SocialToken private token;
    /// @dev holders[0] is the creator; all five start with no delegate except the creator.
    address[HOLDERS] private holders;

    function setUp() public {
        implementation = new SocialToken();
        token = SocialToken(Clones.clone(address(implementation)));
        token.initialize(_config(address(this), ALLOCATION));
        holders = [CREATOR, address(0xA11CE), address(0xB0B), address(0xCA401), address(0xDA7E)];
    }

    function _config(address admin, uint256 initialAmount) private view returns (ISocialToken.TokenConfig memory) {
        return
            ISocialToken.TokenConfig({
                name: "Fuzz Fans",
                symbol: "FUZZ",
                cap: CAP,
                admin: admin,
                minter: address(this),
                initialHolder: CREATOR,
                initialAmount: initialAmount
            });
    }

    function _isHolder(address account) private view returns (bool) {
        for (uint256 i = 0; i < HOLDERS; ++i) {
            if (holders[i] == account) return true;
        }
        return false;
    }

    /// @dev A fuzzed account that is new to the token (and not a precompile or a cheatcode target).
    function _assumeFresh(address account) private view {
        vm.assume(account > address(0x100));
        vm.assume(!_isHolder(account));
        vm.assume(account != address(this) && account != address(token) && account != address(implementation));
        vm.assume(account != address(vm));
        vm.assume(token.balanceOf(account) == 0 && token.delegates(account) == address(0));
    }

    /*//////////////////////////////////////////////////////////////
                                  CAP
    //////////////////////////////////////////////////////////////*/

    /// @dev A fuzzed sequence of mints: each either fits and lands, or would pass the cap and reverts
    /// with ERC20ExceededCap; the supply never exceeds the cap and equals the sum of landed mints.
    function testFuzz_mint_supplyNeverExceedsCap(uint256[8] calldata amounts, uint8[8] calldata to) public {
        uint256 expectedSupply = ALLOCATION;
        for (uint256 i = 0; i < amounts.length; ++i) {
            // Up to the whole cap per mint, so both branches are exercised often.
            uint256 amount = bound(amounts[i], 0, CAP);
            address receiver = holders[to[i] % HOLDERS];
            if (expectedSupply + amount > CAP) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        ERC20CappedUpgradeable.ERC20ExceededCap.selector,
                        expectedSupply + amount,
                        CAP
                    )
                );
                token.mint(receiver, amount);
            } else {
                token.mint(receiver, amount);
                expectedSupply += amount;
            }
            assertEq(token.totalSupply(), expectedSupply, "supply");
            assertLe(token.totalSupply(), token.cap(), "supply above cap");
        }
    }

    function testFuzz_mint_upToCapExactly(uint8 to) public {
        address receiver = holders[to % HOLDERS];
        token.mint(receiver, CAP - ALLOCATION);
        assertEq(token.totalSupply(), CAP, "supply at cap");
        vm.expectRevert(abi.encodeWithSelector(ERC20CappedUpgradeable.ERC20ExceededCap.selector, CAP + 1, CAP));
        token.mint(receiver, 1);
    }

    function test_mint_revertsWithoutMinterRole() public {
        address stranger = address(0x5757);
        bytes32 minterRole = token.MINTER_ROLE(); // read before prank: the prank binds the next call
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, minterRole)
        );
        vm.prank(stranger);
        token.mint(stranger, 1);
        assertEq(token.balanceOf(stranger), 0, "stranger balance");
    }

    /*//////////////////////////////////////////////////////////////
                           TRANSFERS AND VOTES
    //////////////////////////////////////////////////////////////*/

    /// @dev Fuzzed transfers among the holders never change the supply or the sum of balances.
    function testFuzz_transfer_conservesSupplyAndBalances(
        uint256[10] calldata amounts,
        uint8[10] calldata from,
        uint8[10] calldata to
    ) public {
        for (uint256 i = 0; i < amounts.length; ++i) {
            _fuzzedTransfer(amounts[i], from[i], to[i]);
            assertEq(token.totalSupply(), ALLOCATION, "supply");
            assertEq(_sumOfBalances(), ALLOCATION, "sum of balances");
        }
    }

    /// @dev Each holder picks a delegation (0-4: a holder, 5: opt out, 6: leave as is) before and
    /// again half-way through fuzzed transfers. After every step: each account's votes equal the
    /// balances delegated to it; the total of votes equals the balances of delegated holders; a
    /// holder with a balance who did not opt out always has a delegate (automatic self-delegation).
    function testFuzz_delegate_votesEqualDelegatedBalances(
        uint8[HOLDERS] calldata firstChoices,
        uint8[HOLDERS] calldata laterChoices,
        uint256[12] calldata amounts,
        uint8[12] calldata from,
        uint8[12] calldata to
    ) public {
        _applyDelegations(firstChoices);
        _checkVotes();
        for (uint256 i = 0; i < amounts.length; ++i) {
            if (i == amounts.length / 2) _applyDelegations(laterChoices);
            _fuzzedTransfer(amounts[i], from[i], to[i]);
            _checkVotes();
        }
        // Minting and burning move votes the same way.
        token.mint(holders[from[0] % HOLDERS], bound(amounts[0], 0, CAP - ALLOCATION));
        _checkVotes();
        address burner = holders[to[0] % HOLDERS];
        uint256 burnt = token.balanceOf(burner) / 2;
        vm.prank(burner);
        token.burn(burnt);
        _checkVotes();
    }

    /// @dev A holder who opted out has no votes of their own, whatever they receive, until they
    /// delegate again.
    function testFuzz_delegate_optOutHoldersHaveZeroVotes(
        address fan,
        uint256 transferred,
        uint256 minted,
        bool optOutFirst
    ) public {
        _assumeFresh(fan);
        transferred = bound(transferred, 1, ALLOCATION);
        minted = bound(minted, 1, CAP - ALLOCATION);
        if (optOutFirst) {
            vm.prank(fan);
            token.delegate(address(0));
        }
        vm.prank(CREATOR);
        token.transfer(fan, transferred);
        if (!optOutFirst) {
            assertEq(token.getVotes(fan), transferred, "votes before opting out");
            vm.prank(fan);
            token.delegate(address(0));
        }
        token.mint(fan, minted);

        assertTrue(token.autoDelegationOptedOut(fan), "opted out");
        assertEq(token.delegates(fan), address(0), "delegate after opt-out");
        assertEq(token.getVotes(fan), 0, "votes after opt-out");
        assertEq(token.balanceOf(fan), transferred + minted, "balance");
        assertEq(token.getVotes(CREATOR), ALLOCATION - transferred, "creator votes");

        vm.prank(fan);
        token.delegate(fan);
        assertTrue(!token.autoDelegationOptedOut(fan), "opted back in");
        assertEq(token.getVotes(fan), transferred + minted, "votes after opting back in");
    }

    /// @dev A fresh receiver of a transfer is self-delegated: its votes equal its balance.
    function testFuzz_transfer_freshReceiverVotesEqualBalance(address fan, uint256 amount) public {
        _assumeFresh(fan);
        amount = bound(amount, 1, ALLOCATION);
        vm.prank(CREATOR);
        token.transfer(fan, amount);
        assertEq(token.delegates(fan), fan, "delegate");
        assertEq(token.getVotes(fan), amount, "votes");
        assertEq(token.getVotes(fan), token.balanceOf(fan), "votes == balance");
        assertEq(token.getVotes(CREATOR), ALLOCATION - amount, "creator votes");
    }

    /// @dev A fresh receiver of a mint is self-delegated too.
    function testFuzz_mint_freshReceiverVotesEqualBalance(address fan, uint256 amount) public {
        _assumeFresh(fan);
        amount = bound(amount, 1, CAP - ALLOCATION);
        token.mint(fan, amount);
        assertEq(token.delegates(fan), fan, "delegate");
        assertEq(token.getVotes(fan), amount, "votes");
    }

    /// @dev A zero-value transfer gives the receiver no votes and leaves its default delegate (itself).
    function testFuzz_transfer_zeroValueGivesNoVotes(address fan) public {
        _assumeFresh(fan);
        vm.prank(CREATOR);
        token.transfer(fan, 0);
        // Still not a holder, so no delegate (Issue 11 item 7: nothing was announced).
        assertEq(token.delegates(fan), address(0), "delegate");
        assertEq(token.getVotes(fan), 0, "votes");
    }

    /// @dev Past votes and supply are read at the timestamp of each change (ERC-6372 timestamps).
    function testFuzz_getPastVotes_readsCheckpointAtTimestamp(uint256 amount, uint32 gap) public {
        amount = bound(amount, 1, ALLOCATION);
        uint256 start = block.timestamp + 1;
        uint256 gapSeconds = bound(gap, 1, 365 days);
        address fan = holders[1];

        vm.warp(start);
        vm.prank(CREATOR);
        token.transfer(fan, amount);
        vm.warp(start + gapSeconds);
        token.mint(fan, amount);
        vm.warp(start + gapSeconds + 1);

        assertEq(token.clock(), start + gapSeconds + 1, "clock");
        assertEq(token.getPastVotes(fan, start - 1), 0, "votes before");
        assertEq(token.getPastVotes(fan, start), amount, "votes after transfer");
        assertEq(token.getPastVotes(fan, start + gapSeconds - 1), amount, "votes before mint");
        assertEq(token.getPastVotes(fan, start + gapSeconds), 2 * amount, "votes after mint");
        assertEq(token.getPastTotalSupply(start + gapSeconds - 1), ALLOCATION, "supply before mint");
        assertEq(token.getPastTotalSupply(start + gapSeconds), ALLOCATION + amount, "supply after mint");
    }

    /*//////////////////////////////////////////////////////////////
                             INITIALISATION
    //////////////////////////////////////////////////////////////*/

    function test_initialize_revertsOnImplementation() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(_config(address(this), ALLOCATION));
    }

    function test_initialize_revertsOnInitialisedClone() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        token.initialize(_config(address(this), ALLOCATION));
    }

    function test_initialize_revertsWithZeroAdmin() public {
        SocialToken clone = SocialToken(Clones.clone(address(implementation)));
        vm.expectRevert(ISocialToken.SocialTokenZeroAdmin.selector);
        clone.initialize(_config(address(0), ALLOCATION));
    }

    function testFuzz_initialize_revertsWhenAllocationAboveCap(uint256 allocation) public {
        allocation = bound(allocation, CAP + 1, type(uint256).max);
        SocialToken clone = SocialToken(Clones.clone(address(implementation)));
        // OpenZeppelin's own error, decoded by its ABI (Issue 11 item 9).
        vm.expectRevert(abi.encodeWithSelector(ERC20CappedUpgradeable.ERC20ExceededCap.selector, allocation, CAP));
        clone.initialize(_config(address(this), allocation));
    }

    function testFuzz_initialize_mintsAllocationWithVotes(uint256 allocation) public {
        allocation = bound(allocation, 0, CAP);
        SocialToken clone = SocialToken(Clones.clone(address(implementation)));
        clone.initialize(_config(address(this), allocation));
        assertEq(clone.totalSupply(), allocation, "supply");
        assertEq(clone.balanceOf(CREATOR), allocation, "creator balance");
        assertEq(clone.getVotes(CREATOR), allocation, "creator votes");
        // Self-delegated by default while the creator holds anything (Issue 11 item 7).
        assertEq(clone.delegates(CREATOR), allocation == 0 ? address(0) : CREATOR, "creator delegate");
        assertTrue(clone.hasRole(clone.DEFAULT_ADMIN_ROLE(), address(this)), "admin");
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Transfers a fuzzed share of a fuzzed holder's balance to a fuzzed holder.
    function _fuzzedTransfer(uint256 amount, uint8 fromSeed, uint8 toSeed) private {
        address sender = holders[fromSeed % HOLDERS];
        address receiver = holders[toSeed % HOLDERS];
        amount = bound(amount, 0, token.balanceOf(sender));
        uint256 senderBefore = token.balanceOf(sender);
        uint256 receiverBefore = token.balanceOf(receiver);
        vm.prank(sender);
        token.transfer(receiver, amount);
        if (sender != receiver) {
            assertEq(token.balanceOf(sender), senderBefore - amount, "sender balance");
            assertEq(token.balanceOf(receiver), receiverBefore + amount, "receiver balance");
        } else {
            assertEq(token.balanceOf(sender), senderBefore, "self-transfer balance");
        }
    }

    function _applyDelegations(uint8[HOLDERS] calldata choices) private {
        for (uint256 i = 0; i < HOLDERS; ++i) {
            uint8 choice = choices[i] % 7;
            if (choice == 6) continue; // keep whatever the holder has (possibly nothing yet)
            address delegatee = choice == 5 ? address(0) : holders[choice];
            vm.prank(holders[i]);
            token.delegate(delegatee);
            assertEq(token.delegates(holders[i]), delegatee, "delegate after delegate()");
            assertTrue(token.autoDelegationOptedOut(holders[i]) == (choice == 5), "opt-out flag");
        }
    }

    /*//////////////////////////////////////////////////////////////
                     DELEGATION EVENTS (ISSUE 11 ITEM 7)
    //////////////////////////////////////////////////////////////*/

    bytes32 private constant DELEGATE_CHANGED = keccak256("DelegateChanged(address,address,address)");

    /// @dev The DelegateChanged events of the recorded logs, as (delegator, from, to) triples.
    function _delegateChanges() private returns (address[3][] memory changes) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 n;
        for (uint256 i; i < logs.length; ++i) if (logs[i].topics[0] == DELEGATE_CHANGED) ++n;
        changes = new address[3][](n);
        n = 0;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != DELEGATE_CHANGED) continue;
            for (uint256 k; k < 3; ++k) changes[n][k] = address(uint160(uint256(logs[i].topics[k + 1])));
            ++n;
        }
    }

    function _assertChange(address[3] memory change, address a, address from, address to) private pure {
        assertEq(change[0], a, "delegator");
        assertEq(change[1], from, "fromDelegate");
        assertEq(change[2], to, "toDelegate");
    }

    /// @dev A holder who empties and becomes a holder again: (a, a, 0) then (a, 0, a), never a second
    /// (a, 0, a) while the replay already holds `a`.
    function test_delegateChanged_holderAgainReplaysToDelegates() public {
        address fan = address(0xF00D);
        vm.recordLogs();
        vm.prank(CREATOR);
        token.transfer(fan, 10e18);
        address[3][] memory c = _delegateChanges();
        assertEq(c.length, 1, "first receipt: one event");
        _assertChange(c[0], fan, address(0), fan);
        assertEq(token.delegates(fan), fan, "holder delegates to itself");

        vm.recordLogs();
        vm.prank(fan);
        token.transfer(CREATOR, 10e18);
        c = _delegateChanges();
        assertEq(c.length, 1, "emptied: one event");
        _assertChange(c[0], fan, fan, address(0));
        assertEq(token.delegates(fan), address(0), "an emptied default holder has no delegate");
        assertEq(token.getVotes(fan), 0, "votes left with the tokens");

        vm.recordLogs();
        vm.prank(CREATOR);
        token.transfer(fan, 1e18);
        c = _delegateChanges();
        assertEq(c.length, 1, "holder again: one event");
        _assertChange(c[0], fan, address(0), fan);
        assertEq(token.getVotes(fan), 1e18, "votes back");

        // A burn of everything ends the default delegation too.
        vm.recordLogs();
        vm.prank(fan);
        token.burn(1e18);
        c = _delegateChanges();
        assertEq(c.length, 1, "burnt out: one event");
        _assertChange(c[0], fan, fan, address(0));
        _checkVotes();
    }

    /// @dev A never-holder's first `delegate(x)` names zero as the previous delegate (what
    /// `delegates()` reported), and repeating it emits nothing.
    function test_delegateChanged_neverHolderFirstDelegateNamesZero() public {
        address fan = address(0xF00D);
        address delegatee = address(0xB0B);
        assertEq(token.delegates(fan), address(0), "a never-holder has no delegate");
        vm.recordLogs();
        vm.prank(fan);
        token.delegate(delegatee);
        address[3][] memory c = _delegateChanges();
        assertEq(c.length, 1, "one event");
        _assertChange(c[0], fan, address(0), delegatee);
        assertEq(token.delegates(fan), delegatee, "delegate");

        vm.recordLogs();
        vm.prank(fan);
        token.delegate(delegatee);
        assertEq(_delegateChanges().length, 0, "an unchanged delegate emits nothing");

        // Receiving tokens then emits nothing either: the chosen delegate does not change.
        vm.recordLogs();
        vm.prank(CREATOR);
        token.transfer(fan, 5e18);
        assertEq(_delegateChanges().length, 0, "receipt by an account that chose emits nothing");
        assertEq(token.getVotes(delegatee), token.balanceOf(delegatee) + 5e18, "the delegate votes with it");
    }

    /// @dev A holder's explicit self-delegation changes nothing `delegates()` reports: no event.
    function test_delegateChanged_selfDelegationByDefaultHolderEmitsNothing() public {
        vm.recordLogs();
        vm.prank(CREATOR);
        token.delegate(CREATOR);
        assertEq(_delegateChanges().length, 0, "no event");
        assertEq(token.delegates(CREATOR), CREATOR, "still itself");
        assertEq(token.getVotes(CREATOR), ALLOCATION, "votes unchanged");
    }

    function _sumOfBalances() private view returns (uint256 sum) {
        for (uint256 i = 0; i < HOLDERS; ++i) sum += token.balanceOf(holders[i]);
    }

    function _checkVotes() private view {
        uint256 totalVotes;
        uint256 delegatedBalances;
        for (uint256 i = 0; i < HOLDERS; ++i) {
            address account = holders[i];
            uint256 delegatedToAccount;
            for (uint256 j = 0; j < HOLDERS; ++j) {
                if (token.delegates(holders[j]) == account) delegatedToAccount += token.balanceOf(holders[j]);
            }
            assertEq(token.getVotes(account), delegatedToAccount, "votes == balances delegated to the account");
            totalVotes += token.getVotes(account);

            address delegatee = token.delegates(account);
            if (delegatee != address(0)) delegatedBalances += token.balanceOf(account);
            bool optedOut = token.autoDelegationOptedOut(account);
            if (optedOut) {
                assertEq(delegatee, address(0), "an opted-out holder has no delegate");
                if (delegatedToAccount == 0) assertEq(token.getVotes(account), 0, "opted-out holder votes");
            } else if (token.balanceOf(account) != 0) {
                assertTrue(delegatee != address(0), "a holder who did not opt out is delegated");
            }
        }
        assertEq(totalVotes, delegatedBalances, "sum of votes == balances of delegated holders");
        assertLe(totalVotes, token.totalSupply(), "votes above supply");
    }
}
