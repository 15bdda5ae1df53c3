export type Realm = 'customer' | 'staff';
export type TokenScope = 'session' | 'enroll';

/** Who is calling, as the application's token verification established it. */
export interface Principal {
  realm: Realm;
  subjectId: string;
  sessionId: string;
  scope: TokenScope;
  /** When this login last proved a second factor (null for an enroll-scope login that has not). */
  mfaAt: Date | null;
  /** Staff role, when realm is staff. */
  role?: string;
}

export interface RequestWithPrincipal {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  /** Where Passport puts what a strategy resolved: the same principal, for code written against Passport. */
  user?: Principal | null;
}
