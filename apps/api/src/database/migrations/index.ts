import { Foundation1764400000000 } from './1764400000000-Foundation';
import { SecondFactors1764400100000 } from './1764400100000-SecondFactors';
import { BackOffice1764400200000 } from './1764400200000-BackOffice';
import { AuditSealing1764500100000 } from './1764500100000-AuditSealing';
import { DeliveryOutbox1764500200000 } from './1764500200000-DeliveryOutbox';
import { ContractCorrections1764500300000 } from './1764500300000-ContractCorrections';
import { CodeHashKeyIds1764500400000 } from './1764500400000-CodeHashKeyIds';
import { SupportResetGuardrails1764500500000 } from './1764500500000-SupportResetGuardrails';
import { AccountRecovery1764500600000 } from './1764500600000-AccountRecovery';
import { FactorSummaryOnChange1764500900000 } from './1764500900000-FactorSummaryOnChange';

export const MIGRATIONS = [
  Foundation1764400000000,
  SecondFactors1764400100000,
  BackOffice1764400200000,
  AuditSealing1764500100000,
  DeliveryOutbox1764500200000,
  ContractCorrections1764500300000,
  CodeHashKeyIds1764500400000,
  SupportResetGuardrails1764500500000,
  AccountRecovery1764500600000,
  FactorSummaryOnChange1764500900000,
];
