/**
 * `mtbnet users add|list|disable|enable|reset`: the board's accounts, from the
 * server's own machine (the API offers the same to admins). A new or reset
 * password is generated and printed once, or read from stdin with
 * --password-stdin; resetting or disabling ends the user's sessions.
 */
import { generatePassword } from '../../security/passwords.ts';
import { cliActor, openAccounts, securityDbFile } from '../../security/open.ts';
import { ROLES } from '../../security/roles.ts';
import { UsageError, type Io } from '../io.ts';

export interface UsersArgs {
  sub?: string;
  username?: string;
  role?: string;
  name?: string;
  passwordStdin?: boolean;
  json?: boolean;
  data?: string;
}

async function passwordOf(args: UsersArgs, io: Io): Promise<{ password: string; generated: boolean }> {
  if (!args.passwordStdin) return { password: generatePassword(), generated: true };
  const text = Buffer.from(await io.readStdinBytes()).toString('utf8').replace(/\r?\n$/, '');
  return { password: text, generated: false };
}

export async function usersCommand(args: UsersArgs, io: Io): Promise<number> {
  const accounts = openAccounts(securityDbFile(process.env, args.data));
  const actor = cliActor();
  try {
    switch (args.sub) {
      case 'list': {
        const users = accounts.listUsers();
        if (args.json) {
          io.stdout(`${JSON.stringify(users, null, 2)}\n`);
          return 0;
        }
        if (users.length === 0) io.stdout('users: no account yet (the first visit to the board creates the admin, or: mtbnet users add NAME --role admin)\n');
        for (const u of users) io.stdout(`${u.id}\t${u.roles.join(',')}\t${u.disabled ? 'disabled' : 'active'}\t${u.name ?? ''}\n`);
        return 0;
      }
      case 'add': {
        if (!args.username) throw new UsageError('users add: name the user (mtbnet users add NAME --role clinician)');
        if (!args.role) throw new UsageError(`users add: --role is one or more of ${ROLES.join(', ')}, comma-separated`);
        const { password, generated } = await passwordOf(args, io);
        const user = await accounts.addUser({ username: args.username, password, roles: args.role.split(',').map((r) => r.trim()), name: args.name }, actor);
        io.stdout(`users: added ${user.id} (${user.roles.join(', ')})\n`);
        if (generated) io.stdout(`password: ${password}\n(shown once: hand it over safely; the user can change it after signing in)\n`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        if (!args.username) throw new UsageError(`users ${args.sub}: name the user`);
        const user = accounts.setDisabled(args.username, args.sub === 'disable', actor);
        io.stdout(`users: ${user.id} is ${user.disabled ? 'disabled (signed out everywhere)' : 'active'}\n`);
        return 0;
      }
      case 'reset': {
        if (!args.username) throw new UsageError('users reset: name the user');
        const { password, generated } = await passwordOf(args, io);
        await accounts.setPassword(args.username, password, actor);
        io.stdout(`users: new password for ${args.username.toLowerCase()} (signed out everywhere)\n`);
        if (generated) io.stdout(`password: ${password}\n`);
        return 0;
      }
      default:
        throw new UsageError(`users: unknown subcommand "${args.sub ?? ''}" (add, list, disable, enable, reset)`);
    }
  } finally {
    accounts.store.close();
  }
}
