import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/triggers/post-confirmation.ts';
import { captureLogs } from './support/lambda.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  cognito.reset();
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

  it('leaves a user who already has a group alone', async () => {
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'recruiter' }] });
    await handler(event('PostConfirmation_ConfirmSignUp'));
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
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
