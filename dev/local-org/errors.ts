/** An error answered in the Salesforce REST shape `[{"message","errorCode","fields"}]`. */
export class SfError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
    readonly status = 400,
  ) {
    super(message);
    this.name = errorCode;
  }

  toBody(): { message: string; errorCode: string; fields?: string[] }[] {
    return [{ message: this.message, errorCode: this.errorCode, fields: this.fields }];
  }

  /** The per-record shape used inside save results (`statusCode` instead of `errorCode`). */
  toSaveError(): SaveError {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}

export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}
