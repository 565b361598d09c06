/**
 * Test helpers for EIP-1167 minimal proxies (the clones the factory deploys for every community).
 * The module has no side effects (mocha loads every file under test/).
 */

/** The 45-byte EIP-1167 runtime code of a minimal proxy delegating to `implementation`. */
export function minimalProxyRuntime(implementation: string): string {
  return (
    "0x363d3d373d3d3d363d73" + implementation.slice(2).toLowerCase() + "5af43d82803e903d91602b57fd5bf3"
  );
}

/** The creation code of an EIP-1167 minimal proxy: deploying it leaves `minimalProxyRuntime(implementation)`. */
export function minimalProxyCreationCode(implementation: string): string {
  return "0x3d602d80600a3d3981f3" + minimalProxyRuntime(implementation).slice(2);
}
