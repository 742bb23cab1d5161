import bcrypt from 'bcrypt';

export const BCRYPT_COST = 10;

/**
 * Native bcrypt: the hash runs on libuv's thread pool, so a registration or login never holds
 * the event loop. It reads the $2a$ hashes bcryptjs wrote before as well as its own $2b$.
 */
export const hashPassword = (password: string): Promise<string> =>
  bcrypt.hash(password, BCRYPT_COST);

export const checkPassword = (password: string, hash: string): Promise<boolean> =>
  bcrypt.compare(password, hash);

/**
 * Compared against when the username does not exist, so a wrong username takes as long
 * as a wrong password and the timing does not tell which usernames are taken. A hash of
 * 'decoy-password-never-matches' at BCRYPT_COST, fixed so no process pays for it at start.
 */
export const DECOY_HASH = '$2b$10$yPtecbz8mD.eXz9IY31tIu1EGK5o88tY2x.EqG.rkziF3WQySHQui';
