/**
 * The loader map: every command's definition, in the order `--help` lists them. Definitions are
 * SDK-free; each one imports its run module only when it runs (`load`). A new command is one
 * `<name>.def.ts` + `<name>.ts` pair and one line here (docs/contributing-commands.md).
 */
import cognitoListUsers from './cognito-list-users.def.js';
import completeTables from './complete-tables.def.js';
import keepSnapshots from './keep-snapshots.def.js';
import completion from './completion.def.js';
import copy from './copy.def.js';
import drop from './drop.def.js';
import env from './env.def.js';
import exportCommand from './export.def.js';
import getConversation from './get-conversation.def.js';
import importCommand from './import.def.js';
import listConversations from './list-conversations.def.js';
import listTables from './list-tables.def.js';
import local from './local.def.js';
import repair from './repair.def.js';
import reset from './reset.def.js';
import scan from './scan.def.js';
import schemaLoad from './schema-load.def.js';
import seed from './seed.def.js';
import send from './send.def.js';
import stream from './stream.def.js';
import query from './query.def.js';
import describe from './describe.def.js';
import ttlStatus from './ttl-status.def.js';
import ttlEnable from './ttl-enable.def.js';
import ttlDisable from './ttl-disable.def.js';
import ttlSweep from './ttl-sweep.def.js';
import get from './get.def.js';
import put from './put.def.js';
import update from './update.def.js';
import deleteCommand from './delete.def.js';
import ui from './ui.def.js';
import updateCognitoUserIds from './update-cognito-user-ids.def.js';
import wait from './wait.def.js';

export const COMMANDS = [
  env,
  local,
  wait,
  schemaLoad,
  drop,
  listTables,
  scan,
  seed,
  exportCommand,
  importCommand,
  copy,
  reset,
  getConversation,
  listConversations,
  query,
  get,
  put,
  update,
  deleteCommand,
  describe,
  ttlStatus,
  ttlEnable,
  ttlDisable,
  ttlSweep,
  stream,
  send,
  repair,
  ui,
  cognitoListUsers,
  updateCognitoUserIds,
  completion,
  completeTables,
  keepSnapshots,
] as const;

/** Commands with a space in their name (`cognito list-users`) sit under these groups. */
export const GROUPS = {
  ttl: {
    description: 'time to live: its setting, and deleting expired items now',
    examples: ['cruddur-ddb ttl status', 'cruddur-ddb ttl sweep --attribute expires_at'],
  },
  cognito: { description: 'Cognito user pool chores', examples: ['cruddur-ddb cognito list-users --user-pool-id us-east-1_AbCdEf123'] },
} as const;
