// Operator commands against the same database the API uses: `npm run cli -- <command> …`.
//   staff:create --email <email> --name <name> --role <agent|supervisor|admin>
// prints one JSON line {"id","email","role","setupPassword"}; nothing else goes to stdout.
//   keys:status   which key ids the stored data still depends on (one JSON line)
//   keys:reseal   re-seals TOTP seeds under the current FACTOR_ENCRYPTION_KEY (one JSON line; exit 1 if some could not be)
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { parseStaffCreate, USAGE, UsageError } from './cli/staff-create.command';
import { ConfigError } from './config/app.config';
import { KeyRotationService } from './maintenance/key-rotation.service';
import { skipDemoData } from './staff/demo-data.seeder';
import { StaffService } from './staff/staff.service';

const KEY_COMMANDS = ['keys:status', 'keys:reseal'];

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (KEY_COMMANDS.includes(command)) return keys(command, args);
  if (command !== 'staff:create') throw new UsageError(command ? `unknown command ${JSON.stringify(command)}\n${USAGE}` : USAGE);
  const input = parseStaffCreate(args);
  // The first staff account must not race the development demo seeding into an unknown password.
  skipDemoData();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  try {
    const created = await app.get(StaffService).create(input, { actor: { type: 'system', id: null } });
    process.stdout.write(`${JSON.stringify({ id: created.id, email: created.email, role: created.role, setupPassword: created.setupPassword })}\n`);
  } finally {
    await app.close();
  }
}

async function keys(command: string, args: string[]): Promise<void> {
  if (args.length) throw new UsageError(`${command} takes no arguments`);
  skipDemoData();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  try {
    const rotation = app.get(KeyRotationService);
    const result = command === 'keys:status' ? await rotation.status() : await rotation.reseal();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if ('missingKey' in result && (Object.keys(result.missingKey).length || result.unreadable)) {
      console.error('Some TOTP seeds could not be re-sealed: configure the key ids listed under missingKey again (as extra FACTOR_ENCRYPTION_KEY entries), then rerun.');
      process.exitCode = 1;
    }
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    // Expected problems get one clear line; anything else its name and stack (never a query's parameters).
    if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
    else if (isCode(error, 'staff_email_taken')) console.error('A member of staff with that email already exists.');
    else console.error(error instanceof Error ? (error.stack ?? error.name) : String(error));
    process.exit(1);
  },
);

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
