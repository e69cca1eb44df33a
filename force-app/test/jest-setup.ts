import { setup } from '@sa11y/jest';
import { mockLabels, readLabels } from '../main/default/lwc/aircallUtils/__tests__/labels';

setup();
// Components render their Custom Labels' English text, as for an English-speaking user.
mockLabels(readLabels());
