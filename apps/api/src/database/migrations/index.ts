import { Foundation1764400000000 } from './1764400000000-Foundation';
import { SecondFactors1764400100000 } from './1764400100000-SecondFactors';

export const MIGRATIONS = [Foundation1764400000000, SecondFactors1764400100000];
