import bcrypt from 'bcryptjs';

export const BCRYPT_COST = 10;

export const hashPassword = (password: string): Promise<string> =>
  bcrypt.hash(password, BCRYPT_COST);

export const checkPassword = (password: string, hash: string): Promise<boolean> =>
  bcrypt.compare(password, hash);

/**
 * Compared against when the username does not exist, so a wrong username takes as long
 * as a wrong password and the timing does not tell which usernames are taken.
 */
export const DECOY_HASH = bcrypt.hashSync('decoy-password-never-matches', BCRYPT_COST);
