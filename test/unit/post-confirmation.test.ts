import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/triggers/post-confirmation.ts';
import { readable } from '../support/expressions.ts';
import { captureLogs } from './support/lambda.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const dynamo = mockClient(DynamoDBDocumentClient);
let logs: ReturnType<typeof captureLogs>;
beforeAll(() => vi.stubEnv('MAIN_TABLE_NAME', 'Main'));
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  cognito.reset();
  dynamo.reset();
  dynamo.on(GetCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
  logs = captureLogs();
});
afterEach(() => logs.restore());

const event = (triggerSource: string): PostConfirmationTriggerEvent =>
  ({
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_pool',
    userName: 'sub-123',
    triggerSource,
    callerContext: { awsSdkVersion: '3', clientId: 'client' },
    request: { userAttributes: { sub: 'sub-123', email: 'nora@example.com', name: 'Nora Nurse' } },
    response: {},
  }) as PostConfirmationTriggerEvent;

describe('post-confirmation trigger', () => {
  it('adds a self-signed-up user without groups to staff and returns the event', async () => {
    // Prepare
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    const input = event('PostConfirmation_ConfirmSignUp');
    // Act
    const result = await handler(input);
    // Assess
    expect(result).toBe(input);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'us-east-1_pool',
      Username: 'sub-123',
      GroupName: 'staff',
    });
  });

  it('creates their staff profile as the system, with the user link in the same transaction', async () => {
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    await handler(event('PostConfirmation_ConfirmSignUp'), { awsRequestId: 'lambda-req-1' });
    const [profile, link] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(profile?.Put?.Item).toMatchObject({
      kind: 'StaffProfile',
      userId: 'sub-123',
      name: 'Nora Nurse',
      email: 'nora@example.com',
      isActive: true,
      version: 1,
      lastActor: { userId: 'system', roles: ['system'], requestId: 'lambda-req-1', action: 'create' },
    });
    expect(link?.Put).toMatchObject({ Item: { pk: 'USER#sub-123', sk: 'STAFF', kind: 'StaffProfileLink' } });
    expect(link?.Put && readable(link.Put, 'ConditionExpression')).toBe('attribute_not_exists(pk)');
  });

  it('keeps the profile a retried confirmation already created', async () => {
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    dynamo
      .on(GetCommand)
      .resolvesOnce({})
      .resolves({ Item: { staffId: '01J0EXISTING' } });
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    await handler(event('PostConfirmation_ConfirmSignUp'));
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(1);
    expect(logs.text()).toContain('01J0EXISTING');
  });

  it('leaves a user who already has a group alone', async () => {
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'recruiter' }] });
    await handler(event('PostConfirmation_ConfirmSignUp'));
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('ignores other trigger sources', async () => {
    const input = event('PostConfirmation_ConfirmForgotPassword');
    expect(await handler(input)).toBe(input);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('logs the sub, never the email or name', async () => {
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    await handler(event('PostConfirmation_ConfirmSignUp'));
    expect(logs.text()).toContain('sub-123');
    expect(logs.text()).not.toContain('nora@example.com');
    expect(logs.text()).not.toContain('Nora Nurse');
  });
});
