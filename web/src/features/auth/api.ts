import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { changePasswordBody, loginBody, Me, otpRequestResult, otpVerifyBody, sessionInfo } from '../../../../src/modules/auth/schema.ts';
import { api, isApiError, setCsrfToken } from '../../lib/api.ts';

export type { Me };
export type SessionInfo = z.infer<typeof sessionInfo>;
export type LoginInput = z.infer<typeof loginBody>;
export type OtpVerifyInput = z.infer<typeof otpVerifyBody>;
export type OtpRequestResult = z.infer<typeof otpRequestResult>;
export type ChangePasswordInput = z.infer<typeof changePasswordBody>;

export const authKeys = {
  me: ['auth', 'me'] as const,
  sessions: ['auth', 'sessions'] as const,
};

/** The caller, or null when nobody is logged in. Also picks up the CSRF token for later writes. */
async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me', undefined, { anonymous: true });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (err) {
    if (isApiError(err, 401)) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export function useMe() {
  return useQuery({ queryKey: authKeys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/** The logged-in caller; only for components rendered behind the login guard. */
export function useCurrentMe(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentMe outside the login guard');
  return data;
}

export function useAbilities(): (ability: string) => boolean {
  const { data } = useMe();
  const set = new Set(data?.abilities ?? []);
  return (ability) => set.has(ability);
}

function useStartSession() {
  const qc = useQueryClient();
  return (me: Me) => {
    setCsrfToken(me.csrfToken);
    // A new account must not see the previous one's cached lists.
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
    qc.setQueryData(authKeys.me, me);
  };
}

export function useLogin() {
  const start = useStartSession();
  return useMutation({
    mutationFn: (input: LoginInput) => api.post<Me>('/api/auth/login', input, { anonymous: true }),
    onSuccess: start,
  });
}

export function useOtpRequest() {
  return useMutation({
    mutationFn: (phone: string) => api.post<OtpRequestResult>('/api/auth/otp/request', { phone }, { anonymous: true }),
  });
}

export function useOtpVerify() {
  const start = useStartSession();
  return useMutation({
    mutationFn: (input: OtpVerifyInput) => api.post<Me>('/api/auth/otp/verify', input, { anonymous: true }),
    onSuccess: start,
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/auth/logout', undefined, { anonymous: true }),
    // Whatever the server said, this browser is logged out.
    onSettled: () => {
      setCsrfToken(null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
      qc.setQueryData(authKeys.me, null);
    },
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ChangePasswordInput) => api.post<void>('/api/auth/password', input),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: authKeys.me });
      await qc.invalidateQueries({ queryKey: authKeys.sessions });
    },
  });
}

export function useSessions() {
  return useQuery({ queryKey: authKeys.sessions, queryFn: () => api.get<{ items: SessionInfo[] }>('/api/auth/sessions') });
}

export function useRevokeSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/auth/sessions/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: authKeys.sessions }),
  });
}
