import { createHash } from 'node:crypto';

/**
 * Weighted rendezvous (highest random weight) score of `item` on `node`: the node with the highest
 * score wins, each node winning a share of items proportional to `weight`, and removing a node
 * moves only the items it had won.
 */
export function rendezvousScore(item: string, node: string, weight: number): number {
  const digest = createHash('sha1').update(item).update('\0').update(node).digest();
  // 52 bits of the digest as a uniform number in (0, 1): never 0, so the logarithm stays finite.
  const uniform = (digest.readUIntBE(0, 6) * 16 + (digest[6]! >> 4) + 0.5) / 2 ** 52;
  return -weight / Math.log(uniform);
}
