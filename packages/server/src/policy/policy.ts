import { ApiError } from '../errors.js';
import type { DatasetAction, Principal } from './principal.js';

/**
 * The single policy choke point: every dataset access asks `authorize` with the caller's principal.
 * Today the admin role may do everything; RBAC (roles, field-level security) plugs in here.
 */
export class Policy {
  authorize(principal: Principal, action: DatasetAction, dataset: string): void {
    if (principal.roles.includes('admin')) return;
    throw new ApiError(403, 'security_exception', `user [${principal.user}] may not ${action} dataset [${dataset}]`);
  }

  /** The same decision as a boolean (for listings that silently leave out what the caller may not see). */
  allows(principal: Principal, action: DatasetAction, dataset: string): boolean {
    try {
      this.authorize(principal, action, dataset);
      return true;
    } catch {
      return false;
    }
  }
}
