import { sharesFit } from '../residents/rules.ts';
import { type CommunityCodes, type Plan, planRows } from './plan.ts';
import { type IdType, type Relation, type ResidentRow, parseResidentRow, roomKey, roomLabelOf, type SheetRow } from './rules.ts';

/**
 * Residents: a person is identified by phone within the company; a row may also link them to a room of the
 * community and carry plates. The same checks as the residents API — one ID number per person, one owner of a
 * plate, owners' shares at most 100 % — with the column named. Pure: the caller loads the state.
 */

export interface StoredPerson {
  id: string;
  name: string;
  idType: IdType;
  idNumber: string | null;
}
export interface StoredLink {
  phone: string | null;
  relation: Relation;
  share: string | null;
  moveInDate: string | null;
  leaseStart: string | null;
  leaseEnd: string | null;
}
export interface ResidentsState {
  /** roomKey(building, unit, number) → room id, for the community's rooms. */
  rooms: Map<string, string>;
  /** By phone, for the phones in the file. */
  people: Map<string, StoredPerson>;
  /** `${idType}|${idNumber}` → the phone of the resident holding it (null when that resident has none). */
  idHolders: Map<string, string | null>;
  /** Current links of the rooms the file names, by room id. */
  links: Map<string, StoredLink[]>;
  /** plate → phone of the resident it is registered to. */
  plates: Map<string, string | null>;
}

export interface ResidentItem {
  name: string;
  phone: string;
  idType: IdType;
  idNumber: string | null;
  birthday: string | null;
  gender: 'male' | 'female' | null;
  roomId: string | null;
  relation: Relation | null;
  share: string | null;
  moveInDate: string | null;
  leaseStart: string | null;
  leaseEnd: string | null;
  plates: ResidentRow['plates'];
}

type LinkFields = Pick<StoredLink, 'relation' | 'share' | 'moveInDate' | 'leaseStart' | 'leaseEnd'>;

/** Whether writing `item` changes a stored link. Blank dates in the sheet keep the stored ones. */
export function linkChanged(item: LinkFields, stored: LinkFields): boolean {
  return (
    item.relation !== stored.relation ||
    (item.relation === 'owner' && item.share !== stored.share) ||
    (item.moveInDate !== null && item.moveInDate !== stored.moveInDate) ||
    (item.leaseStart !== null && item.leaseStart !== stored.leaseStart) ||
    (item.leaseEnd !== null && item.leaseEnd !== stored.leaseEnd)
  );
}

export function personChanged(item: Pick<ResidentItem, 'name' | 'idType' | 'idNumber'>, stored: StoredPerson): boolean {
  return item.name !== stored.name || (item.idNumber !== null && (item.idType !== stored.idType || item.idNumber !== stored.idNumber));
}

export function planResidents(rows: SheetRow[], codes: CommunityCodes, state: ResidentsState): Plan<ResidentItem> {
  const firstOfPhone = new Map<string, { row: number; name: string; idKey: string | null }>();
  const phoneOfId = new Map<string, { phone: string; row: number }>();
  const seenLinks = new Map<string, number>();
  const plateRows = new Map<string, { phone: string; row: number }>();
  // Stored owners that the file mentions for the same room are replaced by their row, so they are not counted twice.
  const parsed = new Map(rows.map((r) => [r.cells, parseResidentRow(r.cells)]));
  const phonesOfRoom = new Map<string, Set<string>>();
  for (const p of parsed.values()) {
    if (!p.ok || !p.value.room) continue;
    const roomId = state.rooms.get(roomKey(p.value.room.building, p.value.room.unit, p.value.room.number));
    if (roomId) phonesOfRoom.set(roomId, (phonesOfRoom.get(roomId) ?? new Set()).add(p.value.phone));
  }
  const fileShares = new Map<string, Array<string | null>>();

  return planRows<ResidentRow, ResidentItem>(rows, (cells) => parsed.get(cells)!, codes, (v, row) => {
    const idKey = v.idNumber ? `${v.idType}|${v.idNumber}` : null;
    const first = firstOfPhone.get(v.phone);
    if (first && first.name !== v.name) return { errors: [{ column: '姓名', reason: { key: 'import.samePhoneOtherPerson', params: { other: first.row, what: '姓名' } } }] };
    if (first && idKey && first.idKey && first.idKey !== idKey) return { errors: [{ column: '证件号', reason: { key: 'import.samePhoneOtherPerson', params: { other: first.row, what: '证件号' } } }] };
    if (idKey) {
      const inFile = phoneOfId.get(idKey);
      if (inFile && inFile.phone !== v.phone) return { errors: [{ column: '证件号', reason: { key: 'import.duplicateInFile', params: { other: inFile.row } } }] };
      const holder = state.idHolders.get(idKey);
      if (holder !== undefined && holder !== v.phone) return { errors: [{ column: '证件号', reason: { key: 'import.idOfOther' } }] };
    }
    for (const p of v.plates) {
      const inFile = plateRows.get(p.plate);
      if (inFile && inFile.phone !== v.phone) return { errors: [{ column: '车牌', reason: { key: 'import.duplicateInFile', params: { other: inFile.row } } }] };
      const holder = state.plates.get(p.plate);
      if (holder !== undefined && holder !== v.phone) return { errors: [{ column: '车牌', reason: { key: 'import.plateOfOther', params: { plate: p.plate } } }] };
    }
    let roomId: string | null = null;
    if (v.room) {
      roomId = state.rooms.get(roomKey(v.room.building, v.room.unit, v.room.number)) ?? null;
      if (!roomId) return { errors: [{ column: '房号', reason: { key: 'import.unknownRoom', params: { label: roomLabelOf(v.room.building, v.room.unit, v.room.number) } } }] };
      const linkKey = `${roomId}|${v.phone}`;
      const dup = seenLinks.get(linkKey);
      if (dup !== undefined) return { errors: [{ column: '房号', reason: { key: 'import.duplicateInFile', params: { other: dup } } }] };
      if (v.room.relation === 'owner') {
        const inFile = phonesOfRoom.get(roomId)!;
        const storedOthers = (state.links.get(roomId) ?? []).filter((l) => l.relation === 'owner' && !inFile.has(l.phone ?? ''));
        const shares = fileShares.get(roomId) ?? [];
        if (!sharesFit([...storedOthers.map((l) => l.share), ...shares], v.room.share === null ? null : Number(v.room.share))) {
          return { errors: [{ column: '产权份额', reason: { key: 'conflict.ownerShare' } }] };
        }
        fileShares.set(roomId, [...shares, v.room.share]);
      }
      seenLinks.set(linkKey, row);
    }
    if (!first) firstOfPhone.set(v.phone, { row, name: v.name, idKey });
    if (idKey && !phoneOfId.has(idKey)) phoneOfId.set(idKey, { phone: v.phone, row });
    for (const p of v.plates) if (!plateRows.has(p.plate)) plateRows.set(p.plate, { phone: v.phone, row });

    const stored = state.people.get(v.phone);
    const link = roomId ? (state.links.get(roomId) ?? []).find((l) => l.phone === v.phone) : undefined;
    const item: ResidentItem = {
      name: v.name,
      phone: v.phone,
      idType: v.idType,
      idNumber: v.idNumber,
      birthday: v.birthday,
      gender: v.gender,
      roomId,
      relation: v.room?.relation ?? null,
      share: v.room?.share ?? null,
      moveInDate: v.room?.moveInDate ?? null,
      leaseStart: v.room?.leaseStart ?? null,
      leaseEnd: v.room?.leaseEnd ?? null,
      plates: v.plates,
    };
    const creates = (!stored && !first) || (roomId !== null && !link) || v.plates.some((p) => !state.plates.has(p.plate));
    const updates = (stored && personChanged(item, stored)) || (link && linkChanged(item as LinkFields, link));
    return { item, action: creates ? 'create' : updates ? 'update' : 'unchanged' };
  });
}
