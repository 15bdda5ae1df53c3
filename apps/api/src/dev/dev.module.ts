import { Module } from '@nestjs/common';
import { DevOutboxController } from './dev-outbox.controller';

/** The development outbox's reader (answers 404 unless the dev outbox is enabled). */
@Module({
  controllers: [DevOutboxController],
})
export class DevModule {}
