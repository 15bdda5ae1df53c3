import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientContext, CurrentPrincipal, Principal } from '@app/twofactor';
import { Client } from '../common/client-context.decorator';
import { ApiErrors } from '../common/api-docs';
import { IdOr404 } from '../common/id-or-404.pipe';
import { deviceError } from './devices.errors';
import { TrustedDeviceDto } from './devices.dto';
import { TrustedDevices } from './trusted-devices.service';

/** The customer's remembered devices (session scope only: an enroll token has none to manage). */
@ApiTags("The customer's own account and factors")
@ApiBearerAuth()
@Controller('me/devices')
export class MeDevicesController {
  constructor(private readonly devices: TrustedDevices) {}

  @Get()
  @ApiOkResponse({ type: [TrustedDeviceDto] })
  @ApiOperation({ summary: 'Remembered devices that may still skip the second factor' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.devices.list(principal.subjectId);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiErrors([404, 'device_not_found'])
  @ApiOperation({ summary: 'Forget one device: its next login needs the second factor again' })
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', new IdOr404(() => deviceError('device_not_found'))) id: string, @Client() client: ClientContext): Promise<void> {
    return this.devices.revokeOwn(principal.subjectId, id, client);
  }
}
