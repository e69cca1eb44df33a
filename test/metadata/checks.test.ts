import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CHECKS, checkById, contextFor, runChecks } from '../../scripts/metadata/checks';
import { PROJECT, reports, sandbox, type Sandbox } from './helpers';

const FIELDS = 'objects/Aircall_Voice__c/fields';

/** Run one check against the package with a single fault injected, then clean up. */
async function withFault(
  checkId: string,
  inject: (box: Sandbox) => void,
  overrides?: Parameters<Sandbox['run']>[1],
): Promise<string[]> {
  const box = sandbox();
  try {
    inject(box);
    return await box.run(checkId, overrides);
  } finally {
    box.dispose();
  }
}

describe('the committed package metadata', () => {
  let box: Sandbox;
  before(() => {
    box = sandbox();
  });
  after(() => box.dispose());

  it('passes every metadata check', async () => {
    const results = await runChecks(box.context());
    assert.equal(results.length, CHECKS.length);
    for (const result of results)
      assert.deepEqual(result.problems, [], `${result.id} found problems`);
  });
});

describe('xml-well-formed', () => {
  it('reports an unclosed tag with its line, which conversion would silently repair', async () => {
    const problems = await withFault('xml-well-formed', (b) =>
      b.put('unclosed-tag.field-meta.xml', `${FIELDS}/Tags__c.field-meta.xml`),
    );
    assert.ok(reports(problems, 'Tags__c.field-meta.xml', 'line'), problems.join('\n'));
  });
});

describe('metadata-schema', () => {
  it('reports unknown elements, repeated single elements, bad booleans, wrong nesting and text where elements belong', async () => {
    const problems = await withFault('metadata-schema', (b) =>
      b.put('schema-faults.field-meta.xml', `${FIELDS}/Tags__c.field-meta.xml`),
    );
    assert.ok(reports(problems, '<lenght> is not an element of CustomField'), problems.join('\n'));
    assert.ok(reports(problems, 'allows one <label>'), problems.join('\n'));
    assert.ok(reports(problems, '"yes" is not a boolean'), problems.join('\n'));
    assert.ok(
      reports(problems, 'valueSet > value', 'is not an element of ValueSet'),
      problems.join('\n'),
    );
    assert.ok(
      reports(problems, 'visibleLines', 'expected a number value, found <count>'),
      problems.join('\n'),
    );
    assert.ok(reports(problems, 'type: "Txt" is not one of', 'LongTextArea'), problems.join('\n'));
  });

  it('reports a required element that is missing', async () => {
    const problems = await withFault('metadata-schema', (b) =>
      b.write(
        'force-app/main/default/objects/Aircall_Voice__c/listViews/No_Scope.listView-meta.xml',
        '<?xml version="1.0" encoding="UTF-8"?>\n<ListView xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fullName>No_Scope</fullName>\n    <label>No Scope</label>\n</ListView>\n',
      ),
    );
    assert.ok(
      reports(problems, 'No_Scope', 'required <filterScope> is missing'),
      problems.join('\n'),
    );
  });
});

describe('text-values', () => {
  it('reports text wrapped by a formatter and a field label over 40 characters', async () => {
    const problems = await withFault('text-values', (b) =>
      b.put('wrapped-text.field-meta.xml', `${FIELDS}/Tags__c.field-meta.xml`),
    );
    assert.ok(reports(problems, '<description> has line breaks'), problems.join('\n'));
    assert.ok(
      reports(problems, '<label> is 57 characters; Salesforce allows 40'),
      problems.join('\n'),
    );
  });
});

describe('sdr-conversion', () => {
  it('reports a file source-deploy-retrieve cannot map to a metadata type', async () => {
    const problems = await withFault('sdr-conversion', (b) =>
      b.put('unknown-type.widget-meta.xml', 'widgets/Thing.widget-meta.xml'),
    );
    assert.ok(reports(problems, 'conversion failed', 'Thing.widget-meta.xml'), problems.join('\n'));
  });
});

describe('descriptions', () => {
  it('reports a custom field without description or help text', async () => {
    const problems = await withFault('descriptions', (b) =>
      b.put('no-description.field-meta.xml', `${FIELDS}/Tags__c.field-meta.xml`),
    );
    assert.ok(reports(problems, 'Tags__c.field-meta.xml: no <description>'), problems.join('\n'));
    assert.ok(
      reports(problems, 'Tags__c.field-meta.xml: no <inlineHelpText>'),
      problems.join('\n'),
    );
  });
});

describe('permission-sets', () => {
  it('reports widened, missing, forbidden and unplanned access in a permission set', async () => {
    const problems = await withFault('permission-sets', (b) =>
      b.put(
        'Aircall_Agent.permissionset-meta.xml',
        'permissionsets/Aircall_Agent.permissionset-meta.xml',
      ),
    );
    assert.ok(
      reports(problems, 'Aircall_Voice__c.Comments__c grants edit, expected read'),
      problems.join('\n'),
    );
    assert.ok(
      reports(problems, 'Aircall_Voice__c.Tags__c grants none, expected read'),
      problems.join('\n'),
    );
    assert.ok(
      reports(problems, 'remove Aircall_Voice__c.Aircall_Call_Id__c', 'required'),
      problems.join('\n'),
    );
    assert.ok(
      reports(problems, 'objectPermissions for Lead are not in the access matrix'),
      problems.join('\n'),
    );
  });

  it('reports a new field nobody decided access for', async () => {
    const problems = await withFault('permission-sets', (b) =>
      b.put(
        'Extra_Field__c.field-meta.xml',
        'objects/Aircall_Settings__c/fields/Extra_Field__c.field-meta.xml',
      ),
    );
    // Aircall_Settings__c fields default to admin edit / integration read: the new field is missing from both sets.
    assert.ok(
      reports(
        problems,
        'Aircall_Admin',
        'Aircall_Settings__c.Extra_Field__c grants none, expected edit',
      ),
      problems.join('\n'),
    );
    assert.ok(
      reports(
        problems,
        'Aircall_Integration',
        'Aircall_Settings__c.Extra_Field__c grants none, expected read',
      ),
      problems.join('\n'),
    );
  });

  it('reports a field on an object the matrix does not cover', async () => {
    const problems = await withFault('permission-sets', (b) =>
      b.put('Extra_Field__c.field-meta.xml', 'objects/Case/fields/Extra_Field__c.field-meta.xml'),
    );
    assert.ok(reports(problems, 'Case.Extra_Field__c: no access row'), problems.join('\n'));
  });
});

describe('picklists', () => {
  it('reports a value the code writes that the field does not have', async () => {
    const problems = await withFault('picklists', (b) =>
      b.put('Call_Type__c-missing-value.field-meta.xml', `${FIELDS}/Call_Type__c.field-meta.xml`),
    );
    assert.ok(
      reports(problems, 'Call_Type__c.field-meta.xml', '"Invalid Number"'),
      problems.join('\n'),
    );
  });

  it('reports an Aircall-fed picklist that would reject values Aircall adds later', async () => {
    const problems = await withFault('picklists', (b) =>
      b.put(
        'Missed_Reason__c-restricted.field-meta.xml',
        `${FIELDS}/Missed_Reason__c.field-meta.xml`,
      ),
    );
    assert.ok(reports(problems, 'Missed_Reason__c must be unrestricted'), problems.join('\n'));
  });

  it('reports a picklist field the code names but the package lacks', async () => {
    const problems = await withFault('picklists', () => undefined, {
      picklists: { 'Aircall_Voice__c.Queue__c': ['Sales'] },
    });
    assert.ok(reports(problems, 'Aircall_Voice__c.Queue__c', 'no such field'), problems.join('\n'));
  });
});

describe('naming', () => {
  it('reports a camelCase field and a fullName that disagrees with its file', async () => {
    const problems = await withFault('naming', (b) =>
      b.put('callDuration__c.field-meta.xml', `${FIELDS}/callDuration__c.field-meta.xml`),
    );
    assert.ok(
      reports(problems, 'Aircall_Voice__c.callDuration__c is not Upper_Snake'),
      problems.join('\n'),
    );
    assert.ok(
      reports(
        problems,
        '<fullName>Call_Duration__c</fullName> differs from the file name callDuration__c',
      ),
      problems.join('\n'),
    );
  });

  it('reports a permission set and an LWC bundle named against the convention', async () => {
    const problems = await withFault('naming', (b) => {
      b.put(
        'Aircall_Agent.permissionset-meta.xml',
        'permissionsets/aircallViewer.permissionset-meta.xml',
      );
      b.put('leaky.ts', 'lwc/Call_Card/Call_Card.ts');
    });
    assert.ok(reports(problems, 'aircallViewer is not Upper_Snake'), problems.join('\n'));
    assert.ok(reports(problems, 'lwc/Call_Card: LWC bundles are camelCase'), problems.join('\n'));
  });
});

describe('references', () => {
  it('reports a page using a component that does not exist or lacks the page target', async () => {
    const problems = await withFault('references', (b) =>
      b.put('Dangling_Page.flexipage-meta.xml', 'flexipages/Dangling_Page.flexipage-meta.xml'),
    );
    assert.ok(
      reports(problems, 'component callHistoryChart is not an LWC bundle'),
      problems.join('\n'),
    );
    assert.ok(
      reports(problems, 'aircallVoiceRecord does not declare the target lightning__AppPage'),
      problems.join('\n'),
    );
  });

  it('reports list view columns and filters on fields that do not exist', async () => {
    const problems = await withFault('references', (b) =>
      b.put(
        'Bad_Columns.listView-meta.xml',
        'objects/Aircall_Voice__c/listViews/Bad_Columns.listView-meta.xml',
      ),
    );
    assert.ok(
      reports(problems, 'field Duration__c does not exist on Aircall_Voice__c'),
      problems.join('\n'),
    );
    assert.ok(reports(problems, 'filter field Call_Result__c does not exist'), problems.join('\n'));
  });

  it('reports an LWC bundle without its js-meta.xml', async () => {
    const problems = await withFault('references', (b) =>
      b.remove('lwc/omniStatusMapper/omniStatusMapper.js-meta.xml'),
    );
    assert.ok(
      reports(problems, 'lwc/omniStatusMapper: no omniStatusMapper.js-meta.xml'),
      problems.join('\n'),
    );
  });

  it('reports a tab whose page was deleted', async () => {
    const problems = await withFault('references', (b) =>
      b.remove('flexipages/Aircall_Setup.flexipage-meta.xml'),
    );
    assert.ok(
      reports(problems, 'Aircall_Setup.tab-meta.xml: flexiPage Aircall_Setup does not exist'),
      problems.join('\n'),
    );
  });
});

describe('no-typescript-deployed', () => {
  it('reports TypeScript sources that .forceignore no longer keeps out of the deployment', async () => {
    const problems = await withFault('no-typescript-deployed', (b) => {
      b.put('leaky.ts', 'lwc/aircallSettings/aircallSettings.ts');
      b.putAtRoot('forceignore-without-ts', '.forceignore');
    });
    assert.ok(reports(problems, 'aircallSettings.ts: would be deployed'), problems.join('\n'));
  });

  it('accepts the same TypeScript file when .forceignore lists it', async () => {
    const problems = await withFault('no-typescript-deployed', (b) =>
      b.put('leaky.ts', 'lwc/aircallSettings/aircallSettings.ts'),
    );
    assert.deepEqual(problems, []);
  });
});

describe('config-files', () => {
  it('reports a contact-center sample an import would reject', async () => {
    const problems = await withFault('config-files', (b) =>
      b.putAtRoot('contact-center-incomplete.xml', 'config/aircall-contact-center.xml'),
    );
    assert.ok(
      reports(problems, 'reqGeneralInfo needs a reqVendorInfoApiName item'),
      problems.join('\n'),
    );
    assert.ok(
      reports(problems, 'reqInternalName "Aircall Contact Center" must start with a letter'),
      problems.join('\n'),
    );
    assert.ok(reports(problems, 'reqTelephonyIntegrationCertificate'), problems.join('\n'));
  });

  it('reports a scratch-org definition without Service Cloud Voice partner telephony', async () => {
    const problems = await withFault('config-files', (b) =>
      b.putAtRoot('project-scratch-def-no-voice.json', 'config/project-scratch-def.json'),
    );
    assert.ok(
      reports(problems, 'features need ServiceCloudVoicePartnerTelephony'),
      problems.join('\n'),
    );
    assert.ok(reports(problems, 'enableSCVExternalTelephony must be true'), problems.join('\n'));
  });

  it('reports a config XML file that is not well-formed', async () => {
    const problems = await withFault('config-files', (b) =>
      b.putAtRoot('unclosed-tag.field-meta.xml', 'config/broken-sample.xml'),
    );
    assert.ok(reports(problems, 'config/broken-sample.xml', 'line'), problems.join('\n'));
  });
});

describe('lwc-schema-references', () => {
  it('reports object, field, relationship and event names spelled out in a component, and schema imports of fields that do not exist', async () => {
    const problems = await withFault('lwc-schema-references', (b) => {
      // Kept without a .ts extension so the project's own type check and lint leave it alone.
      b.put('hardcoded-names.component', 'lwc/aircallVoiceRecord/aircallVoiceRecord.ts');
      b.put('hardcoded-names.html', 'lwc/aircallVoiceRecord/aircallVoiceRecord.html');
    });
    const file = 'lwc/aircallVoiceRecord/aircallVoiceRecord';
    for (const fragments of [
      [`${file}.ts:12:`, "'Aircall_Voice__c' is spelled out"],
      [`${file}.ts:22:`, "relatedListId 'Aircall_Calls__r' is spelled out"],
      [`${file}.ts:23:`, "fields 'Contact.Name' is spelled out"],
      [`${file}.ts:`, "'Aircall_Voice_Update__e' is spelled out"],
      [`${file}.ts:9:`, 'Aircall_Voice__c.Call_Length__c is not a field of the package'],
      [`${file}.html:2:`, 'object-api-name="Aircall_Voice__c"'],
      [`${file}.html:3:`, 'field-name="Call_Type__c"'],
    ]) {
      assert.ok(reports(problems, ...fragments), `${fragments.join(' ')}\n${problems.join('\n')}`);
    }
    // The GraphQL query, the reactive '$recordId' and the {callTypeField} binding are fine.
    assert.equal(problems.length, 7, problems.join('\n'));
  });

  it('accepts the components as committed', async () => {
    const problems = await checkById('lwc-schema-references').run(
      contextFor(`${PROJECT}/force-app`),
    );
    assert.deepEqual(problems, []);
  });
});

describe('custom-labels', () => {
  const LABELS = 'force-app/main/default/labels/CustomLabels.labels-meta.xml';
  const ES = 'force-app/main/default/translations/es.translation-meta.xml';

  function edit(box: Sandbox, rel: string, change: (xml: string) => string): void {
    box.write(rel, change(readFileSync(`${box.root}/${rel}`, 'utf8')));
  }

  it('reports a label a component imports but the package does not define (the deploy would fail)', async () => {
    const problems = await withFault('custom-labels', (b) =>
      b.write(
        'force-app/main/default/lwc/aircallVoiceRecord/extra.js',
        "import X from '@salesforce/label/c.Aircall_Not_There';\n",
      ),
    );
    assert.ok(
      reports(problems, 'extra.js', 'c.Aircall_Not_There', 'does not define'),
      problems.join('\n'),
    );
  });

  it('reports a label with no Spanish translation, a translation of a label that does not exist, and placeholders that differ', async () => {
    const problems = await withFault('custom-labels', (b) =>
      edit(b, ES, (xml) =>
        xml
          .replace(
            /<customLabels>\s*<label>[^<]*<\/label>\s*<name>Aircall_Refresh<\/name>\s*<\/customLabels>/,
            '<customLabels><label>Hola</label><name>Aircall_Gone</name></customLabels>',
          )
          .replace('Llamada de {0}', 'Llamada de {1}'),
      ),
    );
    for (const fragments of [
      ['Aircall_Refresh has no es translation'],
      ['translates label Aircall_Gone, which does not exist'],
      ['Aircall_Related_Call_From has placeholders {1}', 'English text has {0}'],
    ]) {
      assert.ok(reports(problems, ...fragments), `${fragments.join(' ')}\n${problems.join('\n')}`);
    }
  });

  it('reports an unused label, a malformed name and a missing Spanish file', async () => {
    const problems = await withFault('custom-labels', (b) => {
      edit(b, LABELS, (xml) =>
        xml.replace(
          '</CustomLabels>',
          '<labels><fullName>Bad__Name</fullName><language>en_US</language><protected>false</protected><shortDescription>x</shortDescription><value>x</value></labels></CustomLabels>',
        ),
      );
      b.remove('translations/es.translation-meta.xml');
    });
    for (const fragments of [
      ['label Bad__Name is used by no component'],
      ['label Bad__Name', 'single underscores'],
      ['translations/es.translation-meta.xml is missing'],
    ]) {
      assert.ok(reports(problems, ...fragments), `${fragments.join(' ')}\n${problems.join('\n')}`);
    }
  });
});

describe('object-translations', () => {
  const TR = 'force-app/main/default/objectTranslations/Aircall_Voice__c-es';

  it('names the field and the file to add when a field has no Spanish translation (a field added later)', async () => {
    const problems = await withFault('object-translations', (b) => {
      b.remove('objectTranslations/Aircall_Voice__c-es/Tags__c.fieldTranslation-meta.xml');
      b.write(
        'force-app/main/default/objects/Aircall_Voice__c/fields/Queue__c.field-meta.xml',
        `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Queue__c</fullName>
    <label>Queue</label>
    <inlineHelpText>The queue.</inlineHelpText>
    <type>Picklist</type>
    <valueSet><valueSetDefinition><value><fullName>Sales</fullName><default>false</default><label>Sales</label></value></valueSetDefinition></valueSet>
</CustomField>
`,
      );
    });
    assert.ok(
      reports(
        problems,
        'Aircall_Voice__c.Tags__c ("Tags") has no es translation',
        'add main/default/objectTranslations/Aircall_Voice__c-es/Tags__c.fieldTranslation-meta.xml',
      ),
      problems.join('\n'),
    );
    assert.ok(
      reports(
        problems,
        'Aircall_Voice__c.Queue__c ("Queue") has no es translation',
        'Queue__c.fieldTranslation-meta.xml',
        '<help>',
        '<picklistValues> per value',
      ),
      problems.join('\n'),
    );
  });

  it('names the picklist value, the help text and the related list that lack a translation, and where to add them', async () => {
    const problems = await withFault('object-translations', (b) => {
      const status = `${TR}/Status__c.fieldTranslation-meta.xml`;
      b.write(
        status,
        readFileSync(`${b.root}/${status}`, 'utf8')
          .replace(
            /<picklistValues>\s*<masterLabel>In Progress<\/masterLabel>[^]*?<\/picklistValues>/,
            '',
          )
          .replace(/<help>[^<]*<\/help>/, ''),
      );
      const account = `${TR}/Account__c.fieldTranslation-meta.xml`;
      b.write(
        account,
        readFileSync(`${b.root}/${account}`, 'utf8').replace(
          /<relationshipLabel>[^<]*<\/relationshipLabel>/,
          '',
        ),
      );
    });
    for (const fragments of [
      [
        'Aircall_Voice__c.Status__c: picklist value "In Progress" has no es translation',
        '<masterLabel>In Progress</masterLabel>',
        'to main/default/objectTranslations/Aircall_Voice__c-es/Status__c.fieldTranslation-meta.xml',
      ],
      ['Aircall_Voice__c.Status__c: the help text has no es translation', '<help>'],
      ['Aircall_Voice__c.Account__c: the related list "Aircall Calls" has no es translation'],
    ]) {
      assert.ok(reports(problems, ...fragments), `${fragments.join(' ')}\n${problems.join('\n')}`);
    }
  });

  it('reports translations of a value, a field or an object the package does not have (the deploy would fail)', async () => {
    const problems = await withFault('object-translations', (b) => {
      const direction = `${TR}/Direction__c.fieldTranslation-meta.xml`;
      b.write(
        direction,
        readFileSync(`${b.root}/${direction}`, 'utf8').replace(
          '</CustomFieldTranslation>',
          '<picklistValues><masterLabel>Sideways</masterLabel><translation>De lado</translation></picklistValues></CustomFieldTranslation>',
        ),
      );
      b.write(
        `${TR}/Gone__c.fieldTranslation-meta.xml`,
        '<?xml version="1.0" encoding="UTF-8"?>\n<CustomFieldTranslation xmlns="http://soap.sforce.com/2006/04/metadata"><label>Ido</label><name>Gone__c</name></CustomFieldTranslation>\n',
      );
      b.remove(
        'objectTranslations/Aircall_Settings__c-es/Aircall_Settings__c-es.objectTranslation-meta.xml',
      );
    });
    for (const fragments of [
      ['translates picklist value "Sideways", which Aircall_Voice__c.Direction__c does not have'],
      [
        'Gone__c.fieldTranslation-meta.xml: translates field Aircall_Voice__c.Gone__c, which the package does not define',
      ],
      [
        'Aircall_Settings__c has no es object translation',
        'Aircall_Settings__c-es.objectTranslation-meta.xml',
      ],
    ]) {
      assert.ok(reports(problems, ...fragments), `${fragments.join(' ')}\n${problems.join('\n')}`);
    }
  });
});

describe('reports', () => {
  const edit = (box: Sandbox, rel: string, change: (xml: string) => string): void => {
    const path = `force-app/main/default/${rel}`;
    box.write(path, change(readFileSync(`${box.root}/${path}`, 'utf8')));
  };
  const REPORT = 'reports/Aircall_Reports/Answer_Rate_By_Line_And_Hour.report-meta.xml';
  const DASHBOARD = 'dashboards/Aircall_Dashboards/Aircall_Today_And_This_Week.dashboard-meta.xml';
  const TYPE = 'reportTypes/Aircall_Calls.reportType-meta.xml';

  it('reports a field the report type does not offer, a formula over an unsummarized field and broken filter logic', async () => {
    const problems = await withFault('reports', (b) =>
      edit(b, REPORT, (xml) =>
        xml
          .replace('$Aircall_Line_Name__c</field>', '$Line_Nickname__c</field>')
          .replace('Answered__c:SUM', 'Talk_Seconds__c:SUM')
          .replace('</filter>', '<booleanFilter>1 OR 2</booleanFilter></filter>'),
      ),
    );
    for (const fragments of [
      ['grouping Aircall_Voice__c$Line_Nickname__c is not a field of report type Aircall_Calls__c'],
      ['summary formula uses Aircall_Voice__c.Talk_Seconds__c:SUM', 'does not summarize'],
      ['filter logic "1 OR 2" must use each of the 1 filters once'],
    ])
      assert.ok(reports(problems, ...fragments), `${fragments.join(' ')}\n${problems.join('\n')}`);
  });

  it('reports a dashboard chart on a missing report or on what its report does not summarize', async () => {
    const problems = await withFault('reports', (b) =>
      edit(b, DASHBOARD, (xml) =>
        xml
          .replace('Aircall_Reports/Calls_Per_Account_This_Month', 'Aircall_Reports/Gone')
          .replace(
            '<column>FORMULA1</column>',
            '<aggregate>Sum</aggregate><column>Aircall_Voice__c$Talk_Seconds__c</column>',
          ),
      ),
    );
    for (const fragments of [
      ['shows report Aircall_Reports/Gone, which is not in the package'],
      ['charts Sum:Aircall_Voice__c$Talk_Seconds__c, not a summary of'],
    ])
      assert.ok(reports(problems, ...fragments), `${fragments.join(' ')}\n${problems.join('\n')}`);
  });

  it('reports an Aircall Voice field the report type does not offer', async () => {
    const problems = await withFault('reports', (b) =>
      edit(b, TYPE, (xml) =>
        xml.replace(
          /<columns>\s*<checkedByDefault>\w+<\/checkedByDefault>\s*<field>Tags__c<\/field>[\s\S]*?<\/columns>/,
          '',
        ),
      ),
    );
    assert.ok(reports(problems, 'Aircall_Voice__c.Tags__c is not offered'), problems.join('\n'));
  });
});
