import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** The one error shape (documentation only). */
export class ErrorBody {
  @ApiProperty({ example: 401 }) statusCode: number;
  @ApiProperty({ example: 'invalid_code', description: 'Stable, machine-readable' }) code: string;
  @ApiProperty({ example: 'That code is not valid.', description: 'For people' }) message: string;
  @ApiPropertyOptional({ description: 'invalid_code' }) attemptsRemaining?: number;
  @ApiPropertyOptional({ description: '429, 423' }) retryAfter?: number;
  @ApiPropertyOptional({ description: 'validation_failed', type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } })
  errors?: { field: string; message: string }[];
}

/** Documents the error answers of a route: `ApiErrors([401, 'invalid_code', 'code_expired'], [423, 'mfa_locked'])`. */
export function ApiErrors(...answers: [number, ...string[]][]) {
  return applyDecorators(
    ApiExtraModels(ErrorBody),
    ...answers.map(([status, ...codes]) =>
      ApiResponse({ status, description: codes.map((code) => `\`${code}\``).join(', '), schema: { $ref: getSchemaPath(ErrorBody) } }),
    ),
  );
}

export class ChannelHealthDoc {
  @ApiProperty({ enum: ['ok', 'failing'] }) status: string;
  @ApiProperty({ nullable: true, type: String, example: 'delivered', description: "The provider's last word on a message to this channel" }) lastDeliveryStatus: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastDeliveryAt: string | null;
  @ApiProperty({ description: `Failed deliveries in a row; 3 make the channel failing` }) failuresInRow: number;
}

export class AttentionDoc {
  @ApiProperty({ format: 'uuid' }) factorId: string;
  @ApiProperty({ enum: ['delivery_failing', 'not_used_recently'] }) reason: string;
}

export class FactorSummaryDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'totp', description: 'A registered factor type: totp, sms, email, or one a factor module adds (passkey)' }) type: string;
  @ApiProperty({ enum: ['primary', 'secondary'] }) role: string;
  @ApiProperty({ enum: ['pending', 'active'] }) status: string;
  @ApiProperty({ example: '+44 ••••• ••123' }) hint: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true }) verifiedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) lastUsedAt: string | null;
  @ApiPropertyOptional({ type: ChannelHealthDoc, description: 'Factors that send codes only (SMS, email)' }) health?: ChannelHealthDoc;
}

export class TokenPairDoc {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'Opaque; rotated on every use' }) refreshToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: string;
  @ApiProperty({ example: 900 }) expiresIn: number;
  @ApiProperty({ enum: ['session', 'enroll'], description: 'enroll until setupRequired is empty: only /me, /me/factors* and logout accept it; finishing setup at /me/factors/{id}/verify answers a session pair' }) scope: string;
  @ApiProperty({ type: [String], example: [], description: 'What the account still lacks: primary, secondary' }) setupRequired: string[];
  @ApiPropertyOptional({ example: 'totp', description: 'The factor type passed, or recovery_code, or trusted_device' }) method?: string;
  @ApiPropertyOptional({ description: 'When a recovery code was used' }) recoveryCodesRemaining?: number;
  @ApiPropertyOptional({ description: 'With rememberDevice: true and a complete setup. Opaque, shown once; send it with later password logins' })
  deviceToken?: string;
}

export class SignedInDoc extends TokenPairDoc {
  @ApiProperty({ enum: ['signed_in'], description: 'A live deviceToken stood in for the second factor (method trusted_device)' }) status: string;
}

export class MfaRequiredDoc {
  @ApiProperty({ enum: ['mfa_required'] }) status: string;
  @ApiProperty({ description: 'Opaque; 5 minutes; dies after 5 wrong codes' }) mfaToken: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: [FactorSummaryDoc] }) factors: FactorSummaryDoc[];
  @ApiProperty({ format: 'uuid' }) defaultFactorId: string;
  @ApiProperty() recoveryCodesRemaining: number;
  @ApiProperty({ type: [String], example: [], description: 'What the account still lacks (primary, secondary): passing a factor then gives enroll-scope tokens' }) setupRequired: string[];
  @ApiProperty({ type: [AttentionDoc], description: 'Factors to look at: a failing channel, or a secondary unused for STALE_FACTOR_DAYS' }) attention: AttentionDoc[];
}

export class MfaSetupRequiredDoc {
  @ApiProperty({ enum: ['mfa_setup_required'] }) status: string;
  @ApiProperty({ description: 'scope enroll: only /me, /me/factors* and /auth/logout accept it' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: string;
  @ApiProperty({ enum: ['enroll'] }) scope: string;
  @ApiProperty({ example: 900 }) expiresIn: number;
}

/** 200 with one of the two login answers. */
export function ApiLoginAnswer() {
  return applyDecorators(
    ApiExtraModels(MfaRequiredDoc, MfaSetupRequiredDoc, SignedInDoc),
    ApiResponse({
      status: 200,
      schema: { oneOf: [{ $ref: getSchemaPath(MfaRequiredDoc) }, { $ref: getSchemaPath(MfaSetupRequiredDoc) }, { $ref: getSchemaPath(SignedInDoc) }] },
    }),
  );
}

const WEBAUTHN_OPTIONS = 'Passkeys only: what the browser passes to @simplewebauthn/browser (or navigator.credentials)';

/** 201 from POST /me/factors: the pending factor, and what its kind shows once. */
export class EnrolStartedDoc {
  @ApiProperty({ type: FactorSummaryDoc }) factor: FactorSummaryDoc;
  @ApiPropertyOptional({ description: 'TOTP only, shown once' }) secret?: string;
  @ApiPropertyOptional({ description: 'TOTP only' }) otpauthUrl?: string;
  @ApiPropertyOptional({ description: 'TOTP only' }) qrSvg?: string;
  @ApiPropertyOptional({ description: 'SMS and email: where the code went (masked)' }) sentTo?: string;
  @ApiPropertyOptional({ format: 'date-time', type: String }) expiresAt?: string;
  @ApiPropertyOptional({ format: 'date-time', type: String }) resendAvailableAt?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: `${WEBAUTHN_OPTIONS}: PublicKeyCredentialCreationOptionsJSON; answer with {credential} at /verify` })
  options?: Record<string, unknown>;
}

/** 202 from POST /me/factors/:id/check: as a resend, or a passkey's request options for this check. */
export class CheckStartedDoc {
  @ApiPropertyOptional({ format: 'date-time', type: String, description: 'SMS and email' }) expiresAt?: string;
  @ApiPropertyOptional({ format: 'date-time', type: String, description: 'SMS and email' }) resendAvailableAt?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: `${WEBAUTHN_OPTIONS}: PublicKeyCredentialRequestOptionsJSON for this check; answer with {credential} at /factors/:id/verify` })
  options?: Record<string, unknown>;
}

/** 200 or 202 from POST /auth/mfa/challenge. */
export class ChallengeStartedDoc {
  @ApiProperty({ format: 'uuid' }) factorId: string;
  @ApiProperty({ example: 'passkey' }) type: string;
  @ApiPropertyOptional({ description: 'SMS and email (202): where the code went (masked)' }) sentTo?: string;
  @ApiPropertyOptional({ format: 'date-time', type: String }) expiresAt?: string;
  @ApiPropertyOptional({ format: 'date-time', type: String }) resendAvailableAt?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: `${WEBAUTHN_OPTIONS}: PublicKeyCredentialRequestOptionsJSON for this sign-in; answer with {credential} at /verify` })
  options?: Record<string, unknown>;
}
