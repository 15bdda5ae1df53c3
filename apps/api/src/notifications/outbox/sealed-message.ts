import { DeliveryJob, SecretBox } from '@app/twofactor';

type SealedJob = Pick<DeliveryJob, 'channel' | 'message'>;

// The additional data binds a sealed message to its row: copied onto another row, it does not open.
const aad = (deliveryId: string) => `delivery:${deliveryId}`;

export function sealMessage(box: SecretBox, deliveryId: string, job: SealedJob): string {
  return box.seal(JSON.stringify({ channel: job.channel, message: job.message }), aad(deliveryId));
}

export function openMessage(box: SecretBox, deliveryId: string, sealed: string): DeliveryJob {
  return JSON.parse(box.open(sealed, aad(deliveryId))) as DeliveryJob;
}
