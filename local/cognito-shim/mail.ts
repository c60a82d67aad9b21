/**
 * Email a person and a test can read: every message cognito-local would send (sign-up and
 * resend codes, reset codes, invitations with their temporary password) is also written as one
 * JSON file `{ to, subject, text, code?, temporaryPassword?, at }` under
 * `SHIFTLINE_MAIL_DIR` (`<data dir>/mail/`), with a one-line notice on the log.
 * Also ResendConfirmationCode, which cognito-local lacks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { add, CognitoError, type LocalUser, require } from './targets.ts';

interface Messages {
  deliver(
    ctx: unknown,
    source: string,
    clientId: string | undefined,
    userPoolId: string,
    user: LocalUser,
    code: string,
    clientMetadata: unknown,
    delivery: { DeliveryMedium?: string; Destination?: string },
  ): Promise<void>;
}
const { MessagesService } = require('cognito-local/lib/services/messages') as {
  MessagesService: { prototype: Messages };
};

const SUBJECTS: Record<string, string> = {
  SignUp: 'Your Shiftline confirmation code',
  ResendCode: 'Your Shiftline confirmation code',
  ForgotPassword: 'Reset your Shiftline password',
  AdminCreateUser: 'You are invited to Shiftline',
};

const mailOf = (source: string, to: string, code: string, at: string) => {
  if (source === 'AdminCreateUser') {
    const text = `You are invited to Shiftline. Log in with ${to} and the temporary password ${code}, then choose your own.`;
    return { to, subject: SUBJECTS[source], text, temporaryPassword: code, at };
  }
  const subject = SUBJECTS[source] ?? 'Your Shiftline code';
  return { to, subject, text: `${subject}: ${code}`, code, at };
};

const deliver = MessagesService.prototype.deliver;
MessagesService.prototype.deliver = async function (
  this: Messages,
  ...args: Parameters<Messages['deliver']>
) {
  const [, source, , , , code, , delivery] = args;
  const directory = process.env.SHIFTLINE_MAIL_DIR;
  if (directory && delivery.DeliveryMedium === 'EMAIL' && delivery.Destination) {
    const at = new Date().toISOString();
    const to = delivery.Destination;
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${at.replaceAll(':', '-')}-${to}.json`);
    writeFileSync(file, `${JSON.stringify(mailOf(source, to, code, at), null, 2)}\n`);
    // The notice names the file, never the code: codes and temporary passwords reach the user
    // only through the mail (cognito-local's own console sender would print them).
    console.log(`mail to ${to} (${source}): ${file}`);
    return;
  }
  return deliver.apply(this, args);
};

interface ResendServices {
  cognito: { getUserPoolForClientId(ctx: unknown, clientId: string): Promise<PoolWithSave> };
  messages: Messages;
  otp: () => string;
}
interface PoolWithSave {
  options: { Id?: string };
  getUserByUsername(ctx: unknown, username: string): Promise<LocalUser | null>;
  saveUser(ctx: unknown, user: LocalUser & { ConfirmationCode?: string }): Promise<void>;
}

add('ResendConfirmationCode', (services) => async (ctx, request) => {
  const { cognito, messages, otp } = services as unknown as ResendServices;
  const pool = await cognito.getUserPoolForClientId(ctx, request.ClientId ?? '');
  const user = await pool.getUserByUsername(ctx, request.Username ?? '');
  if (!user) throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
  if (user.UserStatus !== 'UNCONFIRMED')
    throw new CognitoError('InvalidParameterException', 'User is already confirmed.');
  const email = user.Attributes?.find((attribute) => attribute.Name === 'email')?.Value ?? '';
  const delivery = { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: email };
  const code = otp();
  await messages.deliver(
    ctx,
    'ResendCode',
    request.ClientId,
    pool.options.Id ?? '',
    user,
    code,
    undefined,
    delivery,
  );
  await pool.saveUser(ctx, { ...user, ConfirmationCode: code });
  return { CodeDeliveryDetails: delivery };
});
