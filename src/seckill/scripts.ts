import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../infra/paths.js';
import type { Redis } from '../infra/redis.js';
import {
  ClaimCode,
  EndCode,
  FenceCode,
  GiveBackCode,
  LoadCode,
  ReserveCode,
  UndoCode,
} from './codes.js';
import type { ActivityKeys } from './keys.js';
import type { AntiBot } from './schemas.js';

/** `lua/<name>-<numberOfKeys>.lua`, as BullMQ names its scripts. */
const SCRIPT_FILE = /^([a-zA-Z][\w]*)-(\d+)\.lua$/;

export interface LuaScript {
  name: string;
  numberOfKeys: number;
  lua: string;
}

/** Every script of lua/, as files; `scriptsOn` reads them once per process. */
export function readLuaScripts(dir = join(packageRoot(), 'lua')): LuaScript[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.lua'))
    .map((file) => {
      const match = SCRIPT_FILE.exec(file);
      if (!match) throw new Error(`lua/${file}: name must be <command>-<numberOfKeys>.lua`);
      return {
        name: match[1]!,
        numberOfKeys: Number(match[2]),
        lua: readFileSync(join(dir, file), 'utf8'),
      };
    });
}

/**
 * The return codes of each script, by script name: test/unit/seckill-codes.test.ts checks
 * them against the files' headers. A script missing here returns a count, not a code.
 */
export const SCRIPT_CODES: Record<string, object> = {
  seckillReserve: ReserveCode,
  seckillClaim: ClaimCode,
  seckillUndo: UndoCode,
  seckillGiveBack: GiveBackCode,
  seckillLoad: LoadCode,
  seckillFence: FenceCode,
  seckillEnd: EndCode,
};

type Arg = string | number;

/** The commands `defineCommand` adds to a client: KEYS first, then ARGV. */
interface ScriptCommands {
  seckillReserve(...keysThenArgs: Arg[]): Promise<[number, string | number | undefined]>;
  seckillUndo(...keysThenArgs: Arg[]): Promise<UndoCode>;
  seckillGiveBack(...keysThenArgs: Arg[]): Promise<GiveBackCode>;
  seckillClaim(...keysThenArgs: Arg[]): Promise<ClaimCode[]>;
  seckillUnclaim(...keysThenArgs: Arg[]): Promise<number>;
  seckillDone(...keysThenArgs: Arg[]): Promise<number>;
  seckillLoad(...keysThenArgs: Arg[]): Promise<LoadCode>;
  seckillFence(...keysThenArgs: Arg[]): Promise<FenceCode>;
  seckillEnd(...keysThenArgs: Arg[]): Promise<EndCode>;
}

export interface ReserveParams {
  /** The activity's keys; the buyer's idempotency and rate keys are derived from them. */
  keys: ActivityKeys;
  userId: number;
  /** The order number this reservation hands out. */
  orderNo: string;
  quantity: number;
  nowMs: number;
  /** Unconfirmed reservations an activity may hold before the script refuses (503 BUSY). */
  outboxLimit: number;
  pendingMaxAgeMs: number;
  /** The request's Idempotency-Key header, if any. */
  idempotencyKey?: string;
  idempotencyTtlSeconds: number;
  /** Tokens a second; 0 when rate limits are off. */
  bucketRate: number;
  bucketBurst: number;
  /** The client's address and its bucket (ratelimit.seckill_ip); rate 0 (the default) when off. */
  address?: string;
  addressRate?: number;
  addressBurst?: number;
  /**
   * The request's anti-bot token, already verified by the caller (signature, buyer, product,
   * expiry): its nonce, spent by the script when the activity needs one. Absent or invalid:
   * undefined, and an activity with anti-bot on refuses the buy.
   */
  tokenNonce?: string;
  /** How long a spent nonce is remembered: at least the token's lifetime. */
  tokenTtlSeconds?: number;
}

type Refusal = Exclude<
  ReserveCode,
  ReserveCode.Reserved | ReserveCode.Replayed | ReserveCode.RateLimited
>;

export type ReserveReply =
  | { code: ReserveCode.Reserved; message: string }
  | { code: ReserveCode.Replayed; orderNo: string }
  | { code: ReserveCode.RateLimited; retryMs: number }
  | { code: Refusal };

/** One order of a batch, as the consumer's scripts need it. */
export interface OrderRef {
  orderNo: string;
  userId: number;
}

export interface UndoParams {
  keys: Pick<
    ActivityKeys,
    'stock' | 'buyers' | 'pending' | 'due' | 'claims' | 'result' | 'released'
  >;
  orderNo: string;
  userId: number;
  quantity: number;
  /** The buyer slot the reservation was given. */
  slot: number;
  /** The caller's claim token: its own claim does not hold the undo back. */
  token: string;
}

export interface ClaimParams {
  keys: Pick<ActivityKeys, 'pending' | 'claims' | 'released'>;
  /** The batch's token: an undo by another batch waits while this claim is live. */
  token: string;
  /** How long the claim holds undos back if the batch never clears it (a crash). */
  leaseMs: number;
  orderNos: string[];
}

export interface GiveBackParams {
  keys: Pick<ActivityKeys, 'meta' | 'stock' | 'returned'>;
  orderNo: string;
  quantity: number;
}

export interface LoadParams {
  keys: Pick<ActivityKeys, 'meta' | 'stock' | 'buyers' | 'buyersStaging' | 'pending'>;
  startMs: number;
  endMs: number;
  limitPerUser: number;
  activityId: number;
  productId: number;
  priceCents: number;
  generation: number;
  stock: number;
  /** Default none. */
  antiBot?: AntiBot;
  /** Load even over a newer generation (reconcile: MySQL is the record). */
  force?: boolean;
  /** Warming: load only when Redis lacks this generation (else AlreadyLoaded). */
  onlyIfMissing?: boolean;
}

/**
 * The seckill Lua scripts (lua/), one typed call each, defined on one client through
 * ioredis `defineCommand` (EVALSHA, with one EVAL when the server's script cache is empty).
 * The only place that knows a script's name and the order of its KEYS and ARGV; callers
 * pass named parameters and get the script's codes as enums (as BullMQ's Scripts class does).
 */
export class SeckillScripts {
  private readonly commands: ScriptCommands;

  constructor(client: Redis) {
    for (const script of luaScripts()) {
      client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
    }
    this.commands = client as unknown as ScriptCommands;
  }

  /**
   * lua/seckillReserve-10.lua: one buyer's reservation and its outbox record, atomically;
   * idempotent on the order number, so ioredis resending it after a reconnect is harmless.
   */
  async reserve(p: ReserveParams): Promise<ReserveReply> {
    const { keys } = p;
    const [code, value] = await this.commands.seckillReserve(
      keys.meta,
      keys.stock,
      keys.buyers,
      keys.pending,
      keys.due,
      keys.result,
      keys.idempotency(p.userId, p.idempotencyKey ?? '-'),
      keys.bucket(p.userId),
      keys.spentToken(p.tokenNonce ?? '-'),
      keys.addressBucket(p.address ?? '-'),
      p.userId,
      p.orderNo,
      p.quantity,
      p.nowMs,
      p.outboxLimit,
      p.pendingMaxAgeMs,
      p.idempotencyKey ? p.idempotencyTtlSeconds : 0,
      p.bucketRate,
      p.bucketBurst,
      p.tokenNonce === undefined ? 0 : 1,
      p.tokenTtlSeconds ?? 3600,
      p.addressRate ?? 0,
      p.addressBurst ?? 0,
    );
    switch (code) {
      case ReserveCode.Reserved:
        return { code, message: value as string };
      case ReserveCode.Replayed:
        return { code, orderNo: value as string };
      case ReserveCode.RateLimited:
        return { code, retryMs: value as number };
      default:
        return { code: code as Refusal };
    }
  }

  /**
   * lua/seckillUndo-7.lua: releases a pending reservation that will never be an order and
   * leaves its tombstone; refused while another batch holds a live claim on it.
   */
  undo(p: UndoParams): Promise<UndoCode> {
    const { keys } = p;
    return this.commands.seckillUndo(
      keys.stock,
      keys.buyers,
      keys.pending,
      keys.due,
      keys.claims,
      keys.result,
      keys.released,
      p.orderNo,
      p.userId,
      p.quantity,
      p.slot,
      p.token,
    );
  }

  /** lua/seckillGiveBack-3.lua: a cancelled order's units back to stock, once per order. */
  giveBack(p: GiveBackParams): Promise<GiveBackCode> {
    const { keys } = p;
    return this.commands.seckillGiveBack(
      keys.meta,
      keys.stock,
      keys.returned,
      p.orderNo,
      p.quantity,
    );
  }

  /** lua/seckillClaim-3.lua: one code per order number, in their order. */
  claim(p: ClaimParams): Promise<ClaimCode[]> {
    const { keys } = p;
    return this.commands.seckillClaim(
      keys.pending,
      keys.claims,
      keys.released,
      p.token,
      p.leaseMs,
      ...p.orderNos,
    );
  }

  /**
   * lua/seckillUnclaim-1.lua: the batch gives up its claims (its insert failed); returns
   * the number dropped.
   */
  unclaim(p: {
    keys: Pick<ActivityKeys, 'claims'>;
    token: string;
    orderNos: string[];
  }): Promise<number> {
    return this.commands.seckillUnclaim(p.keys.claims, p.token, ...p.orderNos);
  }

  /**
   * lua/seckillDone-4.lua: the orders' rows are committed; their pending records are cleared
   * and the buyers' results recorded. Returns the number of pending records cleared.
   */
  done(p: {
    keys: Pick<ActivityKeys, 'pending' | 'due' | 'claims' | 'result'>;
    orders: OrderRef[];
  }): Promise<number> {
    const { keys } = p;
    return this.commands.seckillDone(
      keys.pending,
      keys.due,
      keys.claims,
      keys.result,
      ...p.orders.flatMap((o) => [o.orderNo, o.userId]),
    );
  }

  /**
   * lua/seckillLoad-5.lua: (re)loads an activity, refused while reservations are pending and,
   * unless forced, over a newer generation; lifts a re-init's fence.
   */
  load(p: LoadParams): Promise<LoadCode> {
    const { keys } = p;
    return this.commands.seckillLoad(
      keys.meta,
      keys.stock,
      keys.buyers,
      keys.buyersStaging,
      keys.pending,
      p.startMs,
      p.endMs,
      p.limitPerUser,
      p.activityId,
      p.productId,
      p.priceCents,
      p.generation,
      p.stock,
      p.antiBot ?? 'none',
      p.force ? 1 : 0,
      p.onlyIfMissing ? 1 : 0,
    );
  }

  /**
   * lua/seckillFence-2.lua: stops sales of the activity (503 BUSY) while a re-init writes
   * `generation` (hold), or lifts that fence when the write did not happen.
   */
  fence(p: {
    keys: Pick<ActivityKeys, 'meta' | 'pending'>;
    generation: number;
    hold: boolean;
  }): Promise<FenceCode> {
    return this.commands.seckillFence(p.keys.meta, p.keys.pending, p.generation, p.hold ? 1 : 0);
  }

  /** lua/seckillEnd-1.lua: closes the Redis window at `nowMs` (never later than it was). */
  end(p: { keys: Pick<ActivityKeys, 'meta'>; nowMs: number }): Promise<EndCode> {
    return this.commands.seckillEnd(p.keys.meta, p.nowMs);
  }
}

let scripts: LuaScript[] | undefined;

/** lua/ is read once per process, whatever the number of clients. */
function luaScripts(): LuaScript[] {
  return (scripts ??= readLuaScripts());
}

const byClient = new WeakMap<Redis, SeckillScripts>();

/** The scripts defined on this client (defined at the first call for it). */
export function scriptsOn(client: Redis): SeckillScripts {
  let defined = byClient.get(client);
  if (!defined) {
    defined = new SeckillScripts(client);
    byClient.set(client, defined);
  }
  return defined;
}
