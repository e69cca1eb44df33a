// Synthetic shadow first, as in Lightning Experience: SLDS styles reach into the base components.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'console/app';

const root = document.getElementById('root');
if (root) root.appendChild(createElement('console-app', { is: App }));
// The plain list of latest calls shown while the components were being built (index.html).
document.getElementById('waiting')?.remove();
