import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';

/** argon2id hashing for customers' and staff's passwords. */
@Module({
  providers: [PasswordHasher],
  exports: [PasswordHasher],
})
export class PasswordsModule {}
