import { Reason } from '../errors/reason.js';

/**
 * The return codes of lua/seckillReserve-10.lua, in one place. test/unit/seckill-codes.test.ts
 * checks each enum here against its script's header (SCRIPT_CODES in scripts.ts) so the two
 * cannot drift apart.
 */
export enum ReserveCode {
  Reserved = 1,
  Replayed = 2,
  NoActivity = -1,
  NotStarted = -2,
  Ended = -3,
  SoldOut = -4,
  LimitReached = -5,
  OutboxFull = -6,
  RateLimited = -7,
  BadToken = -8,
  /** A re-init has fenced the activity (lua/seckillFence-2.lua) and not loaded it yet. */
  Reloading = -9,
}

/** lua/seckillClaim-3.lua, one per order number */
export enum ClaimCode {
  Claimed = 1,
  /** Not pending and no tombstone: already an order (a redelivery), or lost with Redis data. */
  NotPending = 0,
  Released = -1,
}

/** lua/seckillUndo-7.lua */
export enum UndoCode {
  Released = 1,
  AlreadyReleased = 2,
  /** Neither pending nor released: already an order, or its record was lost. */
  NotPending = 0,
  ClaimedElsewhere = -1,
}

/** lua/seckillGiveBack-3.lua */
export enum GiveBackCode {
  GivenBack = 1,
  AlreadyGivenBack = 0,
  NotLoaded = -1,
}

/** lua/seckillLoad-5.lua */
export enum LoadCode {
  Loaded = 1,
  /** Warming: Redis already holds this generation; nothing changed. */
  AlreadyLoaded = 0,
  PendingReservations = -1,
  /** Redis holds, or is fencing, a newer generation than the one loaded. */
  Stale = -2,
}

/** lua/seckillFence-2.lua */
export enum FenceCode {
  Fenced = 1,
  Lifted = 0,
  PendingReservations = -1,
  OtherGeneration = -2,
}

/** lua/seckillEnd-1.lua */
export enum EndCode {
  Ended = 1,
  AlreadyEnded = 2,
  NotLoaded = 0,
}

/** How each refusal goes out: its reason, message, and the metric label. */
export const REFUSALS: Record<
  Exclude<ReserveCode, ReserveCode.Reserved | ReserveCode.Replayed | ReserveCode.RateLimited>,
  { reason: Reason; message: string; label: string }
> = {
  [ReserveCode.NoActivity]: {
    reason: Reason.NotFound,
    message: 'product_id: no seckill activity for this product',
    label: 'no_activity',
  },
  [ReserveCode.NotStarted]: {
    reason: Reason.NotStarted,
    message: 'the sale has not started',
    label: 'not_started',
  },
  [ReserveCode.Ended]: {
    reason: Reason.Ended,
    message: 'the sale has ended',
    label: 'ended',
  },
  [ReserveCode.SoldOut]: {
    reason: Reason.SoldOut,
    message: 'sold out',
    label: 'sold_out',
  },
  [ReserveCode.LimitReached]: {
    reason: Reason.AlreadyPurchased,
    message: 'already purchased: the per-user limit of this sale is reached',
    label: 'already_purchased',
  },
  [ReserveCode.OutboxFull]: {
    reason: Reason.Busy,
    message: 'busy: orders cannot be queued safely right now; try again shortly',
    label: 'busy',
  },
  [ReserveCode.BadToken]: {
    reason: Reason.BadToken,
    message:
      'X-Seckill-Token: this sale needs a one-time token from POST /api/seckill/{product_id}/token; it is missing, expired, spent or not yours',
    label: 'bad_token',
  },
  [ReserveCode.Reloading]: {
    reason: Reason.Busy,
    message: 'busy: the sale is being re-initialised; try again shortly',
    label: 'reloading',
  },
};
