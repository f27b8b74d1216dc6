import { randomUUID } from 'node:crypto';
import type { RoomKind, RoomStatus } from '../db/schema.ts';
import { type Gender, IdNumbers, Plates, between, personName, phoneNumber, pick, rng, surnameOf } from './people.ts';

/**
 * Who lives where: statuses and households for a community's rooms, with vehicles and fixed parking. Pure (no
 * database); returns rows ready to insert. About 85 % of homes are lived in (72 % by owners, 13 % rented).
 */

export interface ResidentRow {
  id: string;
  community_id: string;
  name: string;
  phone: string | null;
  id_number: string | null;
  gender: Gender;
  birthday: string;
  care_flags: string;
  profile_note: string | null;
}
export interface LinkRow {
  room_id: string;
  resident_id: string;
  relation: 'owner' | 'family' | 'tenant';
  share_percent: number | null;
  start_date: string;
  move_in_date: string | null;
  warranty_end: string | null;
  lease_start: string | null;
  lease_end: string | null;
}
export interface VehicleRow {
  id: string;
  community_id: string;
  resident_id: string;
  plate: string;
  energy: 'fuel' | 'newEnergy';
  parking_space_id: string | null;
}

/** A household fixed in advance (the demo owners'), placed on a given room instead of a generated one. */
export interface FixedHousehold {
  status: RoomStatus;
  people: Array<{
    name: string;
    gender: Gender;
    born: number;
    phone: string | null;
    relation: LinkRow['relation'];
    careFlags?: string[];
    note?: string;
    moveIn?: string;
    lease?: [string, string];
    committee?: 'director' | 'deputyDirector' | 'member';
  }>;
  plates?: Array<{ plate: string; energy: 'fuel' | 'newEnergy'; fixedSpace?: string }>;
}

export class Population {
  residents: ResidentRow[] = [];
  links: LinkRow[] = [];
  /** parking_space_id holds the space's number until the spaces are written. */
  vehicles: VehicleRow[] = [];
  /** Spaces sold or rented to a resident, by number. */
  holdings: Array<{ space: string; resident_id: string; holding: 'sold' | 'rented'; start_date: string }> = [];
  /** Owners of lived-in homes, candidates for the owners' committee. */
  owners: string[] = [];
  /** Committee seats fixed in advance. */
  committee: Array<{ resident_id: string; position: 'director' | 'deputyDirector' | 'member' }> = [];
  private readonly r: () => number;
  private readonly ids: IdNumbers;
  private readonly plates: Plates;
  private phoneIndex: number;
  private freeSpaces: string[];
  private readonly fixedPeople = new Map<string, string>();

  constructor(opts: { seed: number; phoneBase: number; plates: { province: string; cities: string }; reservedPlates?: string[] }) {
    this.r = rng(opts.seed);
    this.ids = new IdNumbers(this.r);
    this.plates = new Plates(this.r, opts.plates);
    for (const p of opts.reservedPlates ?? []) this.plates.reserve(p);
    this.phoneIndex = opts.phoneBase;
    this.freeSpaces = [];
  }

  /** Starts a community: its parking spaces are the ones residents can hold. */
  startCommunity(spaces: string[]) {
    this.freeSpaces = [...spaces];
  }

  /** Hands over the rows made since the last call and forgets them, so memory stays bounded on large estates. */
  drain() {
    const out = { residents: this.residents, links: this.links, vehicles: this.vehicles, holdings: this.holdings, owners: this.owners, committee: this.committee };
    this.residents = [];
    this.links = [];
    this.vehicles = [];
    this.holdings = [];
    this.owners = [];
    this.committee = [];
    return out;
  }

  /** A random pick from a list, with this population's generator. */
  choose<T>(list: readonly T[]): T {
    return pick(this.r, list);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }

  /** The status of a room and, for a lived-in or owned one, its household. Returns the status. */
  populate(communityId: string, roomId: string, kind: RoomKind, fixed?: FixedHousehold): RoomStatus {
    if (fixed) return this.place(communityId, roomId, fixed);
    const x = this.r();
    const status: RoomStatus =
      kind === 'shop' ? (x < 0.55 ? 'rented' : x < 0.75 ? 'occupied' : x < 0.92 ? 'vacant' : 'unsold') : x < 0.72 ? 'occupied' : x < 0.85 ? 'rented' : x < 0.88 ? 'renovating' : x < 0.93 ? 'delivered' : x < 0.97 ? 'vacant' : 'unsold';
    if (status === 'vacant' || status === 'unsold') return status;
    const delivered = `${between(this.r, 2012, 2024)}-${String(between(this.r, 1, 12)).padStart(2, '0')}-${String(between(this.r, 1, 28)).padStart(2, '0')}`;
    const warranty = `${Number(delivered.slice(0, 4)) + 2}${delivered.slice(4)}`;
    const ownerGender: Gender = this.r() < 0.5 ? 'male' : 'female';
    const owner = this.person(communityId, ownerGender, 1950, 1995);
    const coOwner = kind === 'residence' && this.r() < 0.18 ? this.person(communityId, ownerGender === 'male' ? 'female' : 'male', 1950, 1995, surnameOf(owner.name), true) : null;
    const lives = status === 'occupied';
    this.link(roomId, owner.id, 'owner', coOwner ? 50 : null, delivered, lives ? delivered : null, warranty);
    if (coOwner) this.link(roomId, coOwner.id, 'owner', 50, delivered, lives ? delivered : null, warranty);
    if (lives && kind === 'residence') {
      this.owners.push(owner.id);
      const ownerBorn = Number(owner.birthday.slice(0, 4));
      if (!coOwner && this.r() < 0.65) this.link(roomId, this.person(communityId, ownerGender === 'male' ? 'female' : 'male', ownerBorn - 3, ownerBorn + 3, undefined, true).id, 'family', null, delivered, delivered, null);
      const children = ownerBorn > 1975 ? between(this.r, 0, 2) : 0;
      for (let c = 0; c < children; c++) {
        const child = this.person(communityId, this.r() < 0.5 ? 'male' : 'female', Math.max(ownerBorn + 24, 2008), 2022, surnameOf(owner.name), true);
        if (Number(child.birthday.slice(0, 4)) >= 2012) child.care_flags = '{child}';
        this.link(roomId, child.id, 'family', null, delivered, delivered, null);
      }
      if (ownerBorn < 1958 && !coOwner && this.r() < 0.3) owner.care_flags = '{elderlyAlone}';
      this.cars(communityId, owner.id, this.r() < 0.5 ? 1 : this.r() < 0.2 ? 2 : 0);
    }
    if (status === 'rented') {
      const leaseStart = `${between(this.r, 2023, 2025)}-${String(between(this.r, 1, 12)).padStart(2, '0')}-01`;
      const leaseEnd = `${Number(leaseStart.slice(0, 4)) + between(this.r, 1, 2)}${leaseStart.slice(4, 8)}${leaseStart.slice(5, 7) === '02' ? '28' : '30'}`;
      const tenant = this.person(communityId, this.r() < 0.5 ? 'male' : 'female', 1965, 2002);
      tenant.profile_note = kind === 'shop' ? pick(this.r, ['经营便利店', '经营餐饮', '经营理发店', '经营药店', '经营快递驿站']) : null;
      this.link(roomId, tenant.id, 'tenant', null, leaseStart, leaseStart, null, [leaseStart, leaseEnd]);
      if (kind === 'residence' && this.r() < 0.35) this.link(roomId, this.person(communityId, tenant.gender === 'male' ? 'female' : 'male', 1965, 2002).id, 'tenant', null, leaseStart, leaseStart, null, [leaseStart, leaseEnd]);
      this.cars(communityId, tenant.id, this.r() < 0.35 ? 1 : 0);
    }
    return status;
  }

  private place(communityId: string, roomId: string, fixed: FixedHousehold): RoomStatus {
    let first: string | null = null;
    for (const p of fixed.people) {
      // A fixed person named in two homes (an owner of two rooms) is one resident.
      let id = p.phone ? this.fixedPeople.get(p.phone) : undefined;
      if (!id) {
        const person = this.person(communityId, p.gender, p.born, p.born, undefined, p.phone === null, p.name);
        if (p.phone) person.phone = p.phone;
        person.care_flags = `{${(p.careFlags ?? []).join(',')}}`;
        person.profile_note = p.note ?? null;
        if (p.phone) this.fixedPeople.set(p.phone, person.id);
        id = person.id;
      }
      const person = { id };
      first ??= person.id;
      const start = p.lease?.[0] ?? p.moveIn ?? '2020-06-18';
      this.link(roomId, person.id, p.relation, null, start, p.moveIn ?? null, p.relation === 'owner' ? '2022-06-18' : null, p.lease);
      if (p.committee) this.committee.push({ resident_id: person.id, position: p.committee });
    }
    for (const plate of fixed.plates ?? []) {
      const space = plate.fixedSpace ? this.takeSpace(plate.fixedSpace) : null;
      this.vehicles.push({ id: randomUUID(), community_id: communityId, resident_id: first!, plate: plate.plate, energy: plate.energy, parking_space_id: space });
      if (space) this.holdings.push({ space, resident_id: first!, holding: 'sold', start_date: '2020-06-18' });
    }
    return fixed.status;
  }

  private person(communityId: string, gender: Gender, fromYear: number, toYear: number, surname?: string, noPhone = false, name?: string): ResidentRow {
    const { id, birthday } = this.ids.next(gender, fromYear, toYear);
    const born = Number(birthday.slice(0, 4));
    // Children under 14 usually have no phone of their own.
    const phone = noPhone && born > 2010 ? null : phoneNumber(this.phoneIndex++);
    const row: ResidentRow = { id: randomUUID(), community_id: communityId, name: name ?? personName(this.r, gender, surname), phone, id_number: id, gender, birthday, care_flags: '{}', profile_note: null };
    this.residents.push(row);
    return row;
  }

  private link(roomId: string, residentId: string, relation: LinkRow['relation'], share: number | null, start: string, moveIn: string | null, warranty: string | null, lease?: [string, string]) {
    this.links.push({ room_id: roomId, resident_id: residentId, relation, share_percent: share, start_date: start, move_in_date: moveIn, warranty_end: warranty, lease_start: lease?.[0] ?? null, lease_end: lease?.[1] ?? null });
  }

  /** A named free space, or a random one; removed by swapping with the last so large estates stay fast. */
  private takeSpace(number?: string): string | null {
    const i = number ? this.freeSpaces.indexOf(number) : this.freeSpaces.length ? Math.floor(this.r() * this.freeSpaces.length) : -1;
    if (i < 0) return null;
    const space = this.freeSpaces[i];
    this.freeSpaces[i] = this.freeSpaces[this.freeSpaces.length - 1];
    this.freeSpaces.pop();
    return space;
  }

  private cars(communityId: string, residentId: string, count: number) {
    for (let i = 0; i < count; i++) {
      const { plate, energy } = this.plates.next();
      // Most owners with a car have bought or rented an underground space.
      const space = this.r() < 0.6 ? this.takeSpace() : null;
      this.vehicles.push({ id: randomUUID(), community_id: communityId, resident_id: residentId, plate, energy, parking_space_id: space });
      if (space) this.holdings.push({ space, resident_id: residentId, holding: this.r() < 0.7 ? 'sold' : 'rented', start_date: `${between(this.r, 2015, 2025)}-0${between(this.r, 1, 9)}-01` });
    }
  }
}
