import type { IdentitiesRepository, IdentityRecord } from '../../data/repositories/identities.repository.ts';
import type { AppleRevocationService } from './apple-revocation.service.ts';
import { AuthErrors } from './auth.errors.ts';
import type { Provider, Transact } from './auth.types.ts';

export interface IdentitiesService {
  /** The identities linked to a user, oldest first, without secrets. */
  list(userId: string): Promise<IdentityRecord[]>;
  /** Unlink one provider. The last identity cannot go (the account would be unreachable); an Apple token is revoked. */
  unlink(userId: string, provider: Provider): Promise<void>;
}

/** Linked identities of a signed-in user. */
export function createIdentitiesService(deps: { identities: IdentitiesRepository; appleRevocations: AppleRevocationService; transact: Transact }): IdentitiesService {
  const { identities, appleRevocations, transact } = deps;
  return {
    list: (userId) => identities.listByUser(userId),

    async unlink(userId, provider) {
      const revocations = await transact(async (tx) => {
        const identity = await identities.findByUserAndProvider(userId, provider, tx);
        if (!identity) throw AuthErrors.identityNotFound(provider);
        if ((await identities.countByUser(userId, tx)) <= 1) throw AuthErrors.lastIdentity();
        const stashed = await appleRevocations.stash({ identityId: identity.id }, 'unlinked', tx);
        await identities.delete(identity.id, tx);
        return stashed;
      });
      await appleRevocations.dispatch(revocations);
    },
  };
}
