/** How the console shows token amounts. */
export interface Unit {
  decimals: number;
  symbol: string;
}
