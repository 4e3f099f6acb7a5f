// The meterspec language: one file per meter model, describing the transport, security, APDU
// and body layers of the telegrams it pushes, its OBIS values, and its own test vectors.
grammar MeterSpec;

spec
    : importDecl* meterDecl? importDecl* declaration* EOF
    ;

importDecl
    : 'import' path=STRING
    ;

meterDecl
    : 'meter' name=ident title=STRING?
    ;

declaration
    : transportDecl
    | securityDecl
    | notificationDecl
    | bodyDecl
    | valuesDecl
    | tolerateDecl
    | zigbeeDecl
    | exampleDecl
    ;

// ---- transport layer ----------------------------------------------------------------------

transportDecl
    : 'transport' kind=('mbus' | 'hdlc' | 'raw') ('{' transportProperty* '}')?
    ;

transportProperty
    : 'frames' 'max' INT                                    # maxFrames
    | 'control' number                                      # mbusControl
    | 'address' number                                      # mbusAddress
    | 'sap' stsap=number dtsap=number                       # mbusSap
    | 'address' side=('destination' | 'source') INT         # hdlcAddress
    | 'llc' presence                                        # llc
    | 'serial' baud=INT (bits=INT parityStop=ID | frame=STRING)?   # serial
    ;

// ---- security layer -----------------------------------------------------------------------

securityDecl
    : 'security' securityMode+ ('{' securityProperty* '}')?
    ;

securityMode
    : 'none' | 'glo' | 'ded'
    ;

securityProperty
    : 'control' number+                                     # securityControl
    | 'authentication' level=('required' | 'optional')      # authentication
    ;

// ---- APDU layer ---------------------------------------------------------------------------

notificationDecl
    : 'notification' '{' notificationProperty* '}'
    ;

notificationProperty
    : 'datetime' presence ('as' OBIS)?                      # notificationDateTime
    | 'block_transfer' 'max' INT                            # blockTransfer
    ;

presence
    : 'required' | 'optional' | 'absent'
    ;

// ---- body layout --------------------------------------------------------------------------

bodyDecl
    : 'body' element
    ;

element
    : 'structure' '{' element* '}'                                              # structureElement
    | 'array' 'max' INT 'of' element                                            # arrayElement
    | 'repeat' 'max' INT '{' element* '}'                                       # repeatElement
    | 'one' 'of' '{' element+ '}'                                               # choiceElement
    | 'push_objects' 'max' INT '{' element '}'                                  # pushObjectsElement
    | 'obis'                                                                    # obisElement
    | 'descriptor'                                                              # descriptorElement
    | 'scaler_unit' optional='?'?                                               # scalerUnitElement
    | 'value' (OBIS | pattern=OBIS_PATTERN)? ('as' name=ident)? typeName? ('leaves' leaves=INT)? ('max' max=INT)? optional='?'?  # valueElement
    | 'skip' typeName? ('max' INT)?                                             # skipElement
    ;

typeName
    : ID | 'datetime' | 'array' | 'structure'
    ;

// ---- values -------------------------------------------------------------------------------

valuesDecl
    : 'values' '{' valueEntry* '}'
    ;

// an entry for a code; for every code a pattern matches ('*' for a group it leaves open); or
// with 'as' for a value the body names without a code
valueEntry
    : (OBIS | pattern=OBIS_PATTERN | uncoded='as') name=ident? valueProperty*
    ;

valueProperty
    : 'unit' (ID | STRING)                                  # unitProperty
    | 'scaler' INT                                          # scalerProperty
    | format=('text' | 'hex' | 'obis' | 'datetime')         # formatProperty
    | 'type' typeName                                       # typeProperty
    | 'doc' STRING                                          # docProperty
    ;

// ---- tolerances ---------------------------------------------------------------------------

tolerateDecl
    : 'tolerate' name=ID reason=STRING?
    ;

// ---- ZigBee mapping ---------------------------------------------------------------------

// Values onto ZCL attributes, by zigbee-herdsman's cluster and attribute names. An entry without a
// source is one the runtime maintains (status, measurementType).
zigbeeDecl
    : 'zigbee' '{' endpointDecl* '}'
    ;

endpointDecl
    : 'endpoint' INT endpointProperty* '{' zclEntry* '}'
    ;

endpointProperty
    : 'profile' number                                      # endpointProfile
    | 'device' number                                       # endpointDevice
    ;

zclEntry
    : attributeRef ('=' zclSource)? zclReport?              # zclMap
    | 'drop' cluster=ident ('.' attribute=ident)?           # zclDrop
    ;

attributeRef
    : cluster=ident '.' attribute=ident
    ;

zclSource
    : number                                                # zclConstant
    | zclTerm (zclSign zclTerm)*                            # zclTerms
    ;

zclSign
    : '+' | '-'
    ;

zclTerm
    : OBIS | ident
    ;

zclReport
    : 'report' min=INT max=INT ('change' change=INT)?
    ;

// a name; the words only the zigbee section and the transport's serial line reserve stay usable as names
ident
    : ID | 'zigbee' | 'endpoint' | 'profile' | 'device' | 'drop' | 'report' | 'change' | 'serial' | 'leaves'
    ;

// ---- examples -----------------------------------------------------------------------------

exampleDecl
    : 'example' name=STRING '{' exampleProperty* '}'
    ;

exampleProperty
    : 'corpus' ID (',' ID)*                                 # corpusProperty
    | 'capture' 'file' STRING                               # captureFile
    | 'capture' 'hex' STRING+                               # captureHex
    | 'key' STRING                                          # keyProperty
    | 'auth_key' STRING                                     # authKeyProperty
    | 'note' STRING+                                        # noteProperty
    | 'expect' 'ok' '{' expectItem* '}'                     # expectOk
    | 'expect' 'error' layer=('transport' | 'security' | 'apdu' | 'body') code=ID ('at' INT)?   # expectError
    ;

expectItem
    : 'system_title' STRING                                 # expectSystemTitle
    | 'frame_counter' INT                                   # expectFrameCounter
    | 'security' level=('none' | 'encrypted' | 'authenticated')   # expectSecurity
    | OBIS (STRING | 'null') (ID | STRING)?                 # expectValue
    | name=ident (STRING | 'null') (ID | STRING)?           # expectNamedValue
    | '...'                                                 # expectMore
    ;

number
    : INT | HEX
    ;

// ---- tokens -------------------------------------------------------------------------------

OBIS    : DIGITS '.' DIGITS '.' DIGITS '.' DIGITS '.' DIGITS '.' DIGITS ;
// after OBIS, so that a code with no '*' is an OBIS token
OBIS_PATTERN : GROUP '.' GROUP '.' GROUP '.' GROUP '.' GROUP '.' GROUP ;
HEX     : '0' [xX] [0-9a-fA-F]+ ;
INT     : '-'? DIGITS ;
ID      : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING  : '"' ( ~["\\\r\n] | '\\' . )* '"' ;

LINE_COMMENT  : ('//' | '#') ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\u000C]+ -> skip ;
UNEXPECTED    : . ;

fragment DIGITS : [0-9]+ ;
fragment GROUP  : DIGITS | '*' ;
