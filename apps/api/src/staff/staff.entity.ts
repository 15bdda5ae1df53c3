import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const STAFF_ROLE_NAMES = ['agent', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLE_NAMES)[number];

/** A member of the back office. Never deleted (the audit trail names them): disabled instead. */
@Entity({ name: 'staff' })
export class Staff {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased (a CHECK says so); the unique index settles "email taken" races. */
  @Column({ type: 'varchar', length: 254, unique: true })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: StaffRole;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt: Date;

  /** Still the generated setup password: the console asks for a password of the member's own. */
  @Column({ name: 'setup_password', type: 'boolean', default: true })
  setupPassword: boolean;
}

/** What the API shows of a member of staff: never the password hash. */
export interface StaffRecord {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  disabled: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export function staffRecord(staff: Staff): StaffRecord {
  const { id, email, name, role, disabled, createdAt, lastLoginAt } = staff;
  return { id, email, name, role, disabled, createdAt, lastLoginAt };
}
