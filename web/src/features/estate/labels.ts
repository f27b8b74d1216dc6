import { ROOM_STATUSES } from '../../../../src/modules/estate/schema.ts';
import type { RoomStatus } from './api.ts';

export { ROOM_STATUSES };

/**
 * Room status colours for the floor grid, tags and legend. Hues from the Okabe–Ito palette (told apart with the
 * common colour-vision deficiencies), each with a text colour that keeps at least 4.5:1 contrast; the legend and
 * every cell's tooltip also name the status in words.
 */
export const STATUS_STYLE: Record<RoomStatus, { bg: string; fg: string; border: string }> = {
  unsold: { bg: '#e9ebef', fg: '#3d4451', border: '#c9ced6' },
  vacant: { bg: '#f6e96b', fg: '#3d3500', border: '#d9c731' },
  delivered: { bg: '#8fd0f2', fg: '#0b3954', border: '#56b4e9' },
  renovating: { bg: '#f2b84b', fg: '#4a2d00', border: '#e69f00' },
  occupied: { bg: '#0072b2', fg: '#ffffff', border: '#005a8c' },
  rented: { bg: '#dca0c4', fg: '#4d1738', border: '#cc79a7' },
};

export function isRoomStatus(s: string): s is RoomStatus {
  return (ROOM_STATUSES as readonly string[]).includes(s);
}
