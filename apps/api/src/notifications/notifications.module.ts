import { Module } from '@nestjs/common';
import { NoticeMailer } from './notice-mailer';
import { SubjectEmails } from './subject-emails';

/** Notices to customers and staff (sent through the global DeliveryModule's outbox), and where to send them. */
@Module({
  providers: [SubjectEmails, NoticeMailer],
  exports: [SubjectEmails, NoticeMailer],
})
export class NotificationsModule {}
