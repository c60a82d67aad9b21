/** Credentials and region every local emulator accepts (they check no IAM). */
export const LOCAL_REGION = 'us-east-1';
export const localCredentials = { accessKeyId: 'shiftline-local', secretAccessKey: 'shiftline-local-secret' };
