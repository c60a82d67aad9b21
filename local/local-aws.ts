/** Credentials and region every local emulator accepts (they check no IAM). */
// DynamoDB Local refuses access key ids with anything but letters and digits.
export const LOCAL_REGION = 'us-east-1';
export const localCredentials = { accessKeyId: 'shiftlinelocal', secretAccessKey: 'shiftlinelocalsecret' };
