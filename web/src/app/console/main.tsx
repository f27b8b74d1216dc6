import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { setUnauthorizedHandler } from '../../lib/api.ts';
import { authKeys } from '../../features/auth/api.ts';
import { markSessionEnded } from '../../features/auth/session-ended.ts';
import { createQueryClient, Providers } from '../Providers.tsx';
import { ConsoleApp } from './ConsoleApp.tsx';
import '../global.css';

const client = createQueryClient();

// A 401 from any call means the session is gone: forget the caller, and the login guard shows the login page.
setUnauthorizedHandler(() => {
  if (client.getQueryData(authKeys.me)) markSessionEnded();
  client.setQueryData(authKeys.me, null);
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers client={client}>
      <BrowserRouter>
        <ConsoleApp />
      </BrowserRouter>
    </Providers>
  </StrictMode>,
);
