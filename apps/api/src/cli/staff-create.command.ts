import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateStaffDto } from '../staff/staff.dto';

export const USAGE = 'usage: npm run cli -- staff:create --email <email> --name <name> --role <agent|supervisor|admin>\n       npm run cli -- keys:status | keys:reseal';

export class UsageError extends Error {}

/** `--email a --name "B C" --role admin` (or `--email=a`) → a validated CreateStaffDto. */
export function parseStaffCreate(args: string[]): CreateStaffDto {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--(email|name|role)(?:=(.*))?$/.exec(args[i]);
    if (!match) throw new UsageError(`unknown argument ${JSON.stringify(args[i])}\n${USAGE}`);
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value\n${USAGE}`);
    values[match[1]] = value;
  }
  const dto = plainToInstance(CreateStaffDto, values);
  const problems = validateSync(dto, { forbidUnknownValues: true }).flatMap((error) => Object.values(error.constraints ?? {}));
  if (problems.length) throw new UsageError(`${problems.join('; ')}\n${USAGE}`);
  return dto;
}
