import { LightningElement, api, wire } from 'lwc';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { t } from 'console/i18n';

interface TaskRep {
  id: string;
  fields: Record<string, { value: unknown } | undefined>;
}

const FIELDS = [
  'Task.Subject',
  'Task.ActivityDate',
  'Task.Status',
  'Task.TaskSubtype',
  'Task.CallType',
  'Task.CallDisposition',
  'Task.CallDurationInSeconds',
  'Task.CallObject',
  'Task.Description',
];

const text = (rep: TaskRep, field: string): string => {
  const value = rep.fields[field]?.value;
  return value === null || value === undefined ? '' : String(value);
};

/**
 * The Activity timeline of a Contact, Lead or Account page, as Lightning's standard Activity
 * component lists it: the record's Tasks (Contact and Lead through WhoId, Account through WhatId),
 * newest first: the call Tasks the connector writes and the follow-up Tasks still open. Lightning
 * provides this component itself; the console shows the same Tasks so they can be seen locally.
 */
export default class ActivityTimeline extends LightningElement {
  @api recordId?: string;
  tasks: TaskRep[] = [];
  error?: unknown;

  @wire(getRelatedListRecords, {
    parentRecordId: '$recordId',
    relatedListId: 'Tasks',
    fields: FIELDS,
    pageSize: 50,
  })
  wiredTasks(result: unknown): void {
    const { data, error } = result as { data?: { records: TaskRep[] }; error?: unknown };
    this.tasks = data?.records ?? [];
    this.error = error;
  }

  get items() {
    return this.tasks.map((task) => {
      const call = text(task, 'TaskSubtype') === 'Call';
      const seconds = Number(task.fields.CallDurationInSeconds?.value ?? 0);
      const open = text(task, 'Status') !== 'Completed';
      return {
        id: task.id,
        href: `#/record/${task.id}`,
        subject: text(task, 'Subject') || t('noSubject'),
        date: text(task, 'ActivityDate'),
        icon: call ? 'standard:log_a_call' : 'standard:task',
        kind: call ? 'call' : 'task',
        status: text(task, 'Status'),
        open,
        detail: call
          ? [text(task, 'CallType'), text(task, 'CallDisposition'), `${seconds} s`]
              .filter(Boolean)
              .join(' · ')
          : text(task, 'Status'),
        description: text(task, 'Description').split('\n')[0] ?? '',
      };
    });
  }

  get empty(): boolean {
    return this.tasks.length === 0 && !this.error;
  }

  get heading(): string {
    return t('activity', String(this.tasks.length));
  }

  get noActivities(): string {
    return t('noActivities');
  }
}
