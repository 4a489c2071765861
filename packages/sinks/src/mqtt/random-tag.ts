const TAG_LENGTH = 6;

/** Six random lowercase letters and digits, as Frigate's event and review ids carry. */
export function randomTag(): string {
  return Math.random()
    .toString(36)
    .slice(2, 2 + TAG_LENGTH)
    .padEnd(TAG_LENGTH, '0');
}
