import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { setUnauthorizedHandler } from '../../lib/api.ts';
import { authKeys } from '../../features/auth/api.ts';
import { createQueryClient, Providers } from '../Providers.tsx';
import { MobileApp } from './MobileApp.tsx';
import './mobile.css';

const client = createQueryClient();
setUnauthorizedHandler(() => client.setQueryData(authKeys.me, null));

// Bigger controls and 16px text: fingers, not mouse pointers, and no zoom-on-focus in iOS Safari.
const phoneTheme = { token: { fontSize: 16, controlHeight: 44, controlHeightLG: 50, borderRadius: 10 } };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers client={client} theme={phoneTheme}>
      <BrowserRouter basename="/m">
        <MobileApp />
      </BrowserRouter>
    </Providers>
  </StrictMode>,
);
