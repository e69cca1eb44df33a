/**
 * A call's Case (an unanswered inbound call, cases.ts) and its Tasks on the Activity timeline:
 * the call's Task, a follow-up Task for a call to return, and the follow-ups a call back closes
 * (activity.ts).
 */
import {
  activityDate,
  callDisposition,
  clipText,
  closingNote,
  followUpDescription,
  followUpsClosedBy,
  taskDescription,
  taskSubject,
  taskWhat,
  taskWho,
} from './activity';
import type { BatchContext, CallContext } from './call-plan';
import { CASE_ORIGIN, callerName, caseContent, caseParties, supplied } from './cases';
import { shortHash } from './events';
import type { SObjectFields } from './plan';
import { withoutTaskLink } from './record-links';

export function planCase({ input, plan, settings }: BatchContext, c: CallContext): void {
  const { callId, state, prev, next, customer, e164, link, type, connected, hasCase } = c;
  const { transcriptStore, voicemailLink } = c;
  if (hasCase && connected) {
    const content = caseContent({
      type: type ?? 'Missed',
      caller: callerName(link, state, e164 ?? (customer.kind === 'invalid' ? customer.raw : null)),
      number: e164,
      voicemailLink,
      callLink: state.directLink,
      summary: state.aiSummary,
      transcript: transcriptStore?.full ?? null,
      language: input.caseLanguage ?? 'en',
    });
    const caseHash = shortHash(content.description);
    if (prev.caseHash === undefined) {
      plan.writes.push({
        sobject: 'Case',
        callId,
        fields: {
          Aircall_Call_Id__c: callId,
          Origin: CASE_ORIGIN,
          Subject: content.subject,
          Description: content.description,
          SuppliedPhone: supplied(state, e164),
          ...caseParties(link, e164),
          ...(settings.caseOwnerId ? { OwnerId: settings.caseOwnerId } : {}),
        },
        assignmentRules: settings.caseOwnerId === null,
      });
    } else if (caseHash !== prev.caseHash) {
      // Only the Description: the Subject, status and owner are the agents' from now on.
      plan.writes.push({
        sobject: 'Case',
        callId,
        fields: { Aircall_Call_Id__c: callId, Description: content.description },
        assignmentRules: false,
      });
    }
    next.caseHash = caseHash;
  }
}

export function planTasks(b: BatchContext, c: CallContext): void {
  const { input, plan, settings, sfUser, words, closing } = b;
  const { callId, state, prev, next, customer, e164, type, category, logging, missed } = c;
  const { durations, fields, linkIdentity, linkKey, recordingLink, voicemailLink } = c;
  // The call's Task on the Activity timeline, once the call has ended (its outcome and duration
  // are known), then whenever what it shows changes (comments, tags, AI data, assignment).
  if (logging.log && state.ended && type !== null) {
    const date = activityDate(state.startedAt, state.lineTimeZone);
    const who = { ...taskWho(fields), ...taskWhat(fields) };
    const voiceRef = { Aircall_Voice__r: { Aircall_Call_Id__c: callId } };
    if (settings.activityTask === 'Completed Task') {
      const agentId = typeof fields.Agent__c === 'string' ? fields.Agent__c : null;
      const taskFields: SObjectFields = {
        Subject: taskSubject(
          settings.taskSubjectTemplate,
          {
            direction: state.direction,
            type,
            number: e164 ?? (customer.kind === 'invalid' ? customer.raw : null),
            line: state.lineName,
            agent: state.agent?.name ?? null,
          },
          words,
        ),
        Type: 'Call',
        CallType: state.direction === 'inbound' ? 'Inbound' : 'Outbound',
        CallDurationInSeconds: durations?.talkSeconds ?? 0,
        CallObject: callId,
        CallDisposition: callDisposition(type, missed.value),
        Status: 'Completed',
        ActivityDate: date,
        Description: taskDescription(state, e164, {
          recording: recordingLink,
          voicemail: voicemailLink,
        }),
        ...who,
        ...(agentId ? { OwnerId: agentId } : {}),
        ...voiceRef,
      };
      const taskHash = shortHash(
        linkIdentity
          ? {
              ...taskFields,
              Who: null,
              What: null,
              WhoId: null,
              WhatId: null,
              link: linkIdentity,
            }
          : taskFields,
      );
      if (taskHash !== prev.taskHash) {
        // Who and What as for the Aircall Voice: on creation, then only when this product's
        // choice of record changes (an agent's Change link keeps them).
        const taskLink = prev.taskHash === undefined || prev.taskLinkKey !== linkKey;
        plan.tasks.push({
          callId,
          kind: 'call',
          fields: taskLink ? taskFields : withoutTaskLink(taskFields),
          createOnly: { TaskSubtype: 'Call' },
        });
        next.taskHash = taskHash;
        next.taskLinkKey = linkKey;
      }
    }
    if (logging.followUp && category) {
      // Owned by the assignee Aircall names, else the agent, else the owner set in settings
      // (else the integration user, who creates it).
      const owner =
        sfUser(state.assignedTo) ??
        (typeof fields.Agent__c === 'string' ? fields.Agent__c : null) ??
        settings.followUpOwnerId;
      const ownerFields: SObjectFields = owner ? { OwnerId: owner } : {};
      const followUpHash = shortHash({ owner });
      if (prev.followUpHash === undefined) {
        plan.tasks.push({
          callId,
          kind: 'follow-up',
          fields: ownerFields,
          opens: { e164, category, openedAt: state.endedAt ?? state.startedAt },
          createOnly: {
            TaskSubtype: 'Task',
            Type: 'Call',
            Subject: clipText(words.followUp.replace('{number}', e164 ?? customer.kind), 255),
            Status: 'Not Started',
            ActivityDate: date,
            Description: followUpDescription(callId, category, e164, settings.callbackWindowHours),
            Aircall_Follow_Up_For__c: callId,
            ...who,
            ...voiceRef,
          },
        });
      } else {
        // It follows the call's link as the call Task does: when this product's choice of record
        // changes (a Contact created for the number, a remembered number), not for an agent's
        // Change link (which saves the open follow-up itself). `linkKey` fallback: a follow-up
        // created before its own key was kept took the call's link of that time.
        const relink = (prev.followUpLinkKey ?? prev.linkKey) !== linkKey;
        if (relink || followUpHash !== prev.followUpHash)
          plan.tasks.push({
            callId,
            kind: 'follow-up',
            fields: relink ? { ...ownerFields, ...who } : ownerFields,
            createOnly: {},
          });
      }
      next.followUpHash = followUpHash;
      next.followUpLinkKey = linkKey;
    }
  }
  // An answered call with a number that has an open follow-up closes it (within the window).
  if (state.answeredAt !== null && e164) {
    const closes = followUpsClosedBy(
      input.openFollowUps?.get(e164),
      callId,
      state.answeredAt,
      settings.callbackWindowHours,
    );
    for (const open of closes) {
      if (closing.has(open.callId)) continue;
      closing.add(open.callId);
      plan.tasks.push({
        callId,
        kind: 'close-follow-up',
        followUpOf: open.callId,
        taskId: open.taskId,
        fields: {
          Status: 'Completed',
          Description: closingNote(open, callId, state.answeredAt),
        },
        createOnly: {},
      });
    }
  }
}
