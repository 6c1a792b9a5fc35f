// Original file: proto/scheduler/v1/scheduler.proto


export interface ItemError {
  'code'?: (number);
  'message'?: (string);
  'field'?: (string);
}

export interface ItemError__Output {
  'code': (number);
  'message': (string);
  'field': (string);
}
