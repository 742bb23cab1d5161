import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import svgCaptcha from 'svg-captcha';
import { DomainError, invalid, notFound } from '../errors/domain-error.js';
import { Reason } from '../errors/reason.js';
import type { Redis } from '../infra/redis.js';
import type { AntiBotTokens } from './anti-bot-token.js';
import { activityKeys } from './keys.js';
import type { AntiBot, TokenInput } from './schemas.js';

/** A captcha lives this long, and is tried once. */
const CAPTCHA_TTL_SECONDS = 120;

export interface CaptchaView {
  captcha_id: string;
  svg: string;
}

export interface TokenView {
  token: string;
  expires_at: string;
}

const badCaptcha = () =>
  new DomainError(
    Reason.BadToken,
    'answer: wrong, expired or already tried; get a new captcha from GET /api/seckill/{product_id}/captcha',
  );

/**
 * The steps a buyer of an anti-bot sale takes before buying: a captcha (mode `captcha`) and
 * a one-time token (modes `path` and `captcha`), only inside the sale's window.
 */
export class AntiBotService {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly tokens: AntiBotTokens,
  ) {}

  async captcha(userId: number, productId: number): Promise<CaptchaView> {
    const mode = await this.openWindow(productId);
    if (mode !== 'captcha') throw notFound(`product ${productId}: this sale has no captcha`);
    const { text, data } = svgCaptcha.create({ size: 5, noise: 2, ignoreChars: '0o1il' });
    const id = randomBytes(16).toString('hex');
    await this.redis.set(
      activityKeys(this.keyPrefix, productId).captcha(id),
      `${userId}:${text.toLowerCase()}`,
      'EX',
      CAPTCHA_TTL_SECONDS,
    );
    return { captcha_id: id, svg: data };
  }

  async token(userId: number, productId: number, input: TokenInput): Promise<TokenView> {
    const mode = await this.openWindow(productId);
    if (mode === 'captcha') await this.checkCaptcha(userId, productId, input);
    const { token, expiresAt } = this.tokens.issue(productId, userId);
    return { token, expires_at: expiresAt.toISOString() };
  }

  /** The sale's anti-bot mode, once it is on: a token before start_at would let bots queue early. */
  private async openWindow(productId: number): Promise<AntiBot> {
    const [start, end, mode] = await this.redis.hmget(
      activityKeys(this.keyPrefix, productId).meta,
      'start_ms',
      'end_ms',
      'anti_bot',
    );
    if (start === null || end === null)
      throw notFound('product_id: no seckill activity for this product');
    const now = Date.now();
    if (now < Number(start)) throw new DomainError(Reason.NotStarted, 'the sale has not started');
    if (now >= Number(end)) throw new DomainError(Reason.Ended, 'the sale has ended');
    return (mode ?? 'none') as AntiBot;
  }

  /** One try per captcha (GETDEL); the answer, case-blind, is bound to the user who got it. */
  private async checkCaptcha(userId: number, productId: number, input: TokenInput): Promise<void> {
    if (input.captcha_id === undefined) throw invalid('captcha_id: required for this sale');
    if (input.answer === undefined) throw invalid('answer: required for this sale');
    const stored = await this.redis.getdel(
      activityKeys(this.keyPrefix, productId).captcha(input.captcha_id),
    );
    // Digests, so the two sides have one length and the compare takes one time.
    const given = digest(`${userId}:${input.answer.trim().toLowerCase()}`);
    if (stored === null || !timingSafeEqual(given, digest(stored))) throw badCaptcha();
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();
