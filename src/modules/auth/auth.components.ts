import type { ExpiredRowsPurger } from '../maintenance/expired-rows.registry.ts';
import type { UsersService } from '../users/users.service.ts';
import type { AppleNotificationsService } from './apple-notifications.service.ts';
import type { AppleRevocationService } from './apple-revocation.service.ts';
import type { Provider } from './auth.types.ts';
import type { IdentitiesService } from './identities.service.ts';
import type { OperatorSessionsService } from './operator-sessions.service.ts';
import type { SessionService } from './sessions.service.ts';
import type { SignInService } from './sign-in.service.ts';

/** Everything sign-in provides to the HTTP layer, the CLI, the jobs and the users module. */
export interface AuthComponents {
  sessions: SessionService;
  signIn: SignInService;
  identities: IdentitiesService;
  appleNotifications: AppleNotificationsService;
  appleRevocations: AppleRevocationService;
  users: UsersService;
  /** `minimovie sessions create|revoke`. */
  operatorSessions: OperatorSessionsService;
  /** Which providers are configured. */
  enabledProviders: Provider[];
  /** Expired transactions, auth codes, nonces, link tokens, sessions and notification records, for the cleanup job. */
  purgers: ExpiredRowsPurger[];
}
