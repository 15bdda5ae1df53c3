import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ClientContext, Principal } from '@app/twofactor';
import { DataSource } from 'typeorm';
import { Staff } from './staff.entity';

export interface StaffActing {
  actor: { type: 'staff'; id: string; email: string | null };
  ip: string | null;
}

/** The member of staff behind a request, as audit events name them: id, email, and the caller's IP. */
@Injectable()
export class StaffActors {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async of(principal: Principal, client: ClientContext): Promise<StaffActing> {
    const staff = await this.db.manager.findOne(Staff, { where: { id: principal.subjectId }, select: { id: true, email: true } });
    return { actor: { type: 'staff', id: principal.subjectId, email: staff?.email ?? null }, ip: client.ip ?? null };
  }
}
