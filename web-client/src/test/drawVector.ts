// A usher-draw-v1 vector computed by an independent implementation (Python's hashlib): 13
// entrants with these tokens, in this order, this seed and this beacon value. V13 is the draw
// of all 13; V5 of the first 5. `draw13` and `proof3` are what usher would publish for V13 and
// the third entrant (rank 7).

import type { DrawInfo, DrawProof } from '../api/draw';

export const TOKENS = [
  '12345678-90ab-4def-8000-000000000001',
  '12345678-90ab-4def-8000-000000001ef0',
  '12345678-90ab-4def-8000-000000003ddf',
  '12345678-90ab-4def-8000-000000005cce',
  '12345678-90ab-4def-8000-000000007bbd',
  '12345678-90ab-4def-8000-000000009aac',
  '12345678-90ab-4def-8000-00000000b99b',
  '12345678-90ab-4def-8000-00000000d88a',
  '12345678-90ab-4def-8000-00000000f779',
  '12345678-90ab-4def-8000-000000011668',
  '12345678-90ab-4def-8000-000000013557',
  '12345678-90ab-4def-8000-000000015446',
  '12345678-90ab-4def-8000-000000017335',
];
export const SEED = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
export const COMMITMENT = '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd';
export const BEACON = 'drand round 4242: ab12';
export const V13 = {
  root: 'cd5b90335599c3ef629aa803eb09e1428ee3979755da7652d7b4519ddae1c28b',
  key: '2bb9d0468cc0fa58900b4d9e4609d732e04f8ada490423a6e2783ed81f954bee',
  ranks: [2, 6, 7, 3, 10, 4, 13, 5, 11, 12, 9, 8, 1],
  leaf3: '21fcba95a2eff464dd4edd81e94992c1c26f6c38419e2bdde39ad7c4b3589a92',
  leaf1: 'df9063f8f2b87c5aa765b874dfd509e85ca2f089ec103ae6e17b6d2eb879ba4b',
  siblings3: [
    '66616870d2b4c3256289d7120e3af75c5fb9d79e692362987bcdf4ac294e6caa',
    'dcad954aaffbb95ad8858751735686980c1e9bf6639aa63e781a8b07c83b2f08',
    '95973e5702a3b8668d459536e8772b9b1e1b42411dbbcbf4ba14b7a8ce89a36f',
    '7ca3312b346b6d75ef218b34278257b15cc83214344af46bec18d8d1967fac95',
  ],
  siblingsLast: [
    '28997ae28f8a2b4c144cf988a590e4285dfc874889db579ef5e2c34064315014',
    '049287928c1c64111a11a285c4747c987ee69ce613b589c03454a9b882042d00',
  ],
};
export const V5 = {
  root: '37bac0c1a8336f77846e849e2a4462f7cea33b710208eebd97a35294255a39a4',
  key: '4d6e198dd4f456ba669c1268a65c1e8007574e5a0c100369bfa697618a10e254',
  ranks: [2, 3, 5, 1, 4],
};

export function draw13(over: Partial<DrawInfo> = {}): DrawInfo {
  return {
    event_id: 'evt_draw',
    algorithm: 'usher-draw-v1',
    state: 'drawn',
    prequeue_opens_at: 1_000,
    sale_starts_at: 2_000,
    commitment: COMMITMENT,
    beacon_round: '4242',
    entrants: 13,
    closed_at: 2_000,
    entry_root: V13.root,
    beacon_value: BEACON,
    seed: SEED,
    drawn_at: 2_100,
    ...over,
  };
}

export function proof3(over: Partial<DrawProof> = {}): DrawProof {
  return {
    event_id: 'evt_draw',
    index: 3,
    leaf: V13.leaf3,
    siblings: V13.siblings3,
    entrants: 13,
    entry_root: V13.root,
    rank: 7,
    ...over,
  };
}
