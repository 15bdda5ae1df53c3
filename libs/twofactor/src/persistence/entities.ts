import { ChallengeEntity } from './challenge.entity';
import { FactorEntity } from './factor.entity';
import { OneTimeCodeEntity } from './one-time-code.entity';
import { RecoveryCodeEntity } from './recovery-code.entity';
import { SendLogEntity } from './send-log.entity';
import { SubjectLockEntity } from './subject-lock.entity';

/** The library's tables; the application registers them and owns their migrations. */
export const TWO_FACTOR_ENTITIES = [FactorEntity, OneTimeCodeEntity, ChallengeEntity, RecoveryCodeEntity, SubjectLockEntity, SendLogEntity];
