/** Links RESULTS.md's sections give: docs/decisions.md's analyses and "Where the time goes"'s profiles. */
export const DECISIONS = '../docs/decisions.md';
export const READ_PATH_DECISION = `${DECISIONS}#the-read-paths-per-request-cost-issue-18-session-3`;
export const SEND_PATH_DECISION = `${DECISIONS}#the-send-paths-cost-issue-18-session-3`;
export const LIST_PROFILE = '#profile-staff-lists-own-20-contracts-at-10-connections';
export const SEND_PROFILE = '#profile-send-a-message-at-10-connections';
export const CROWD_PROFILE = '#profile-a-message-to-99-users-in-one-conversation';
